import semver from 'semver';
import type { ArtifactInput } from '../oci/index.js';
import type { BuiltEnvironment } from './build-environment.js';

/** Where an artifact's bytes came from: the commit, its time, and the repository URL when known. */
export interface ArtifactProvenance {
  revision: string | null;
  /** The commit time; null outside git, which gives the fixed epoch so builds stay reproducible. */
  committedAt: Date | null;
  source: string | null;
}

const FIXED_EPOCH = '1970-01-01T00:00:00Z';

/**
 * The one way from a built environment to the artifact falcoctl installs, shared by `build` and
 * `release`: the same commit and version give the same bytes, so the same manifest digest, whichever
 * path shipped them (followers compare digests and would otherwise reinstall).
 */
export function artifactInputFor(
  built: BuiltEnvironment,
  target: { repository: string; mirrors?: string[]; version: string },
  provenance: ArtifactProvenance,
): ArtifactInput {
  const annotations: ArtifactInput['annotations'] = { created: provenance.committedAt ? formatCreated(provenance.committedAt) : FIXED_EPOCH };
  if (provenance.revision !== null) annotations.revision = provenance.revision;
  if (provenance.source !== null) annotations.source = provenance.source;
  return {
    environment: built.environment,
    repository: target.repository,
    ...(target.mirrors && target.mirrors.length > 0 ? { mirrors: [...target.mirrors] } : {}),
    version: target.version,
    rulesFileName: built.rulesFileName,
    rulesFile: new TextEncoder().encode(built.rulesFile),
    requiredEngineVersion: engineRequirement(built.manifest.requiredEngineVersion),
    requiredPluginVersions: built.manifest.requiredPluginVersions,
    annotations,
  };
}

/** RFC 3339 in UTC to the second, as git records commit times. */
function formatCreated(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Falco's `required_engine_version` as the falcoctl requirement wants it: numeric N is `0.N.0`. */
export function engineRequirement(value: string | null): string | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return `0.${Number(value.trim())}.0`;
  return semver.valid(semver.coerce(value)) ?? value;
}
