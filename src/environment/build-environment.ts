import type { CompiledRuleset, PluginRequirement, RenderCache } from '../rules/index.js';
import { joinPieces, renderRulesFilePieces } from '../rules/index.js';
import type { LoadedEnvironment, InputFile } from './load-environment.js';
import { sha256OfPieces } from './rules-file-cache.js';

/** An upstream ruleset as the lock file records it. */
export interface UpstreamVersion {
  name: string;
  version: string;
  file: string;
}

/** The small record written beside each built rules file. */
export interface BuildManifest {
  schemaVersion: 1;
  environment: string;
  version: string;
  /** `repositories` only when the artifact goes to more than one registry (`repository` is its first). */
  artifact: { name: string; repository: string; repositories?: string[]; rulesFileName: string };
  inputs: InputFile[];
  upstream: UpstreamVersion[];
  output: { file: string; sha256: string };
  requiredEngineVersion: string | null;
  requiredPluginVersions: PluginRequirement[];
}

export interface BuiltEnvironment {
  environment: string;
  rulesFileName: string;
  /** The self-contained rules file. */
  rulesFile: string;
  manifest: BuildManifest;
  /** The manifest as canonical JSON (fixed key order, two-space indent, final newline). */
  manifestJson: string;
}

export const BUILD_MANIFEST_FILE = 'build-manifest.json';

/** Renders one environment's effective ruleset as a single rules file plus its manifest; a pure function of its inputs. */
export function buildEnvironment(
  loaded: LoadedEnvironment & { ruleset: CompiledRuleset },
  upstream: readonly UpstreamVersion[],
  options: { renderCache?: RenderCache } = {},
): BuiltEnvironment {
  const { environment, inputs, ruleset } = loaded;
  const pieces = renderRulesFilePieces(ruleset, {
    cache: options.renderCache,
    header: [
      `Falco rules for environment '${environment.name}', version ${environment.version}.`,
      'Built by falco-gitops from these layers, in order; edit those, not this file:',
      ...inputs.map((i) => `  ${i.path}`),
    ],
  });
  const rulesFile = joinPieces(pieces);
  const inputPaths = new Set(inputs.map((i) => i.path));
  const manifest: BuildManifest = {
    schemaVersion: 1,
    environment: environment.name,
    version: environment.version,
    artifact: {
      name: environment.artifact.name,
      repository: environment.artifact.repository,
      ...(environment.artifact.repositories.length > 1 ? { repositories: [...environment.artifact.repositories] } : {}),
      rulesFileName: environment.artifact.rulesFileName,
    },
    inputs: inputs.map((i) => ({ path: i.path, sha256: i.sha256 })),
    upstream: upstream.filter((u) => inputPaths.has(u.file)).map((u) => ({ name: u.name, version: u.version, file: u.file })),
    output: { file: environment.artifact.rulesFileName, sha256: sha256OfPieces(pieces) },
    requiredEngineVersion: ruleset.requiredEngineVersion,
    requiredPluginVersions: ruleset.requiredPluginVersions.map((p) => ({
      name: p.name,
      version: p.version,
      alternatives: p.alternatives.map((a) => ({ name: a.name, version: a.version })),
    })),
  };
  return {
    environment: environment.name,
    rulesFileName: environment.artifact.rulesFileName,
    rulesFile,
    manifest,
    manifestJson: `${JSON.stringify(manifest, null, 2)}\n`,
  };
}
