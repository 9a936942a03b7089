/**
 * Whether the artifacts `build` wrote still are what the working tree builds now. `publish` ships
 * out/ as it is, so an out/ built before the environment's version or rules changed would ship the
 * old rules under a version that says otherwise; this finds that before anything is pushed.
 */
import { fsRepositoryReader, loadRepositoryConfig } from '../config/index.js';
import { artifactInputFor, buildEnvironment, loadRepository } from '../environment/index.js';
import { ANNOTATION_CREATED, ANNOTATION_REVISION, ANNOTATION_SOURCE, packArtifact, readManifestAnnotations, type PackedArtifact } from '../oci/index.js';
import { createRenderCache } from '../rules/index.js';

export interface StaleArtifact {
  environment: string;
  /** What changed in the working tree since `build`, in words. */
  reason: string;
}

/** ok also when there is nothing to compare with: a layout published from a directory that holds no environments. */
export type FreshnessCheck = { ok: true } | { ok: false; stale: StaleArtifact[] } | { ok: false; error: string };

/**
 * Rebuilds each artifact's environment from the working tree and repacks it with the provenance
 * out/ recorded (revision, created, source): the same bytes unless the version, the repository or
 * the rendered rules changed. Same path as `build` (artifactInputFor, packArtifact).
 */
export function checkOutFreshness(cwd: string, artifacts: readonly PackedArtifact[]): FreshnessCheck {
  const reader = fsRepositoryReader(cwd);
  const config = loadRepositoryConfig(reader);
  if (!config.config) return { ok: false, error: `cannot compare the layout with the working tree: the repository configuration is invalid` };
  if (config.config.environments.length === 0) return { ok: true };
  const known = new Set(config.config.environments.map((e) => e.name));
  const names = [...new Set(artifacts.map((a) => a.environment))].filter((n) => known.has(n));
  const load = names.length === 0 ? null : loadRepository(reader, names);
  if (load !== null && !load.ok) return { ok: false, error: `cannot compare the layout with the working tree: ${load.message}` };
  const renderCache = createRenderCache();
  const stale: StaleArtifact[] = [];
  for (const artifact of artifacts) {
    const env = load?.environments.find((e) => e.environment.name === artifact.environment);
    const reason = ((): string | null => {
      if (env === undefined) return 'the environment is no longer in the working tree';
      if (env.environment.version !== artifact.version) return `environment.yaml now says version ${env.environment.version}, out/ holds ${artifact.version}`;
      if (env.environment.artifact.repository !== artifact.repository)
        return `its repository is now ${env.environment.artifact.repository}, out/ holds ${artifact.repository}`;
      if (env.ruleset === null || env.targets.some((t) => !t.ruleset.ok)) return 'it no longer loads (run `falco-gitops validate`)';
      const built = buildEnvironment({ ...env, ruleset: env.ruleset }, [], { renderCache });
      const recorded = readManifestAnnotations(artifact.manifest.bytes);
      const created = recorded[ANNOTATION_CREATED];
      const now = packArtifact(
        artifactInputFor(
          built,
          { repository: artifact.repository, version: artifact.version },
          {
            revision: recorded[ANNOTATION_REVISION] ?? null,
            committedAt: created !== undefined && !Number.isNaN(Date.parse(created)) ? new Date(created) : null,
            source: recorded[ANNOTATION_SOURCE] ?? null,
          },
        ),
      );
      if (now.manifest.descriptor.digest === artifact.manifest.descriptor.digest) return null;
      return now.layer.descriptor.digest !== artifact.layer.descriptor.digest
        ? 'its rendered rules changed since `build`'
        : 'its Falco requirements changed since `build`';
    })();
    if (reason !== null) stale.push({ environment: artifact.environment, reason });
  }
  return stale.length > 0 ? { ok: false, stale } : { ok: true };
}
