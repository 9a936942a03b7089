import { canonicalJson, describeBytes } from './digest.js';
import { OciError } from './errors.js';
import {
  ANNOTATION_CREATED,
  ANNOTATION_REVISION,
  ANNOTATION_SOURCE,
  ANNOTATION_TITLE,
  ANNOTATION_VERSION,
  ENGINE_REQUIREMENT,
  MEDIA_TYPE_MANIFEST,
  MEDIA_TYPE_RULESFILE_CONFIG,
  MEDIA_TYPE_RULESFILE_LAYER,
} from './media-types.js';
import type { Descriptor } from './store.js';
import { isPlainTarName, packTarGz } from './tar-gz.js';
import { compareStrings } from '../config/compare-paths.js';

export interface PluginRequirement {
  name: string;
  version: string;
  alternatives: { name: string; version: string }[];
}

/** What `build` hands over for one environment; everything needed to publish, no config. */
export interface ArtifactInput {
  environment: string;
  /** Full target, e.g. "ghcr.io/acme/falco-rules-production". */
  repository: string;
  /** More repositories the same artifact is published to (other registries); not part of its bytes. */
  mirrors?: string[];
  version: string;
  /** Plain file name, e.g. "falco-rules-production.yaml". */
  rulesFileName: string;
  rulesFile: Uint8Array;
  /** Semver, e.g. "0.26.0"; null when the rules declare none. */
  requiredEngineVersion: string | null;
  requiredPluginVersions: PluginRequirement[];
  /** `created` is ISO-8601 from the commit time, so the manifest is reproducible. */
  annotations: { source?: string; revision?: string; created: string };
}

export interface Blob {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/** The falcoctl rulesfile config (falcoctl pkg/oci/types.go ArtifactConfig). */
export interface RulesfileConfig {
  name: string;
  version: string;
  dependencies?: { name: string; version: string; alternatives?: { name: string; version: string }[] }[];
  requirements?: { name: string; version: string }[];
}

export interface PackedArtifact {
  environment: string;
  repository: string;
  /** More repositories the same artifact is published to (other registries); not part of its bytes. */
  mirrors?: string[];
  version: string;
  config: Blob;
  layer: Blob;
  manifest: Blob;
}

/**
 * Packs one environment's rules file as a falcoctl rulesfile artifact. Pure and reproducible.
 * Precondition (checked by the caller, a throw here is a bug): `rulesFileName` is a plain name.
 */
export function packArtifact(input: ArtifactInput): PackedArtifact {
  if (!isPlainTarName(input.rulesFileName)) {
    throw new Error(`rules file name '${input.rulesFileName}' must be a plain file name of at most 100 ASCII characters`);
  }
  const configBytes = canonicalJson(rulesfileConfig(input));
  const config: Blob = { descriptor: describeBytes(MEDIA_TYPE_RULESFILE_CONFIG, configBytes), bytes: configBytes };
  const layerBytes = packTarGz([{ name: input.rulesFileName, bytes: input.rulesFile }]);
  const layer: Blob = {
    descriptor: describeBytes(MEDIA_TYPE_RULESFILE_LAYER, layerBytes, { [ANNOTATION_TITLE]: layerTitle(input.rulesFileName) }),
    bytes: layerBytes,
  };
  const annotations: Record<string, string> = { [ANNOTATION_CREATED]: input.annotations.created, [ANNOTATION_VERSION]: input.version };
  if (input.annotations.source) annotations[ANNOTATION_SOURCE] = input.annotations.source;
  if (input.annotations.revision) annotations[ANNOTATION_REVISION] = input.annotations.revision;
  const manifestBytes = canonicalJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    config: config.descriptor,
    layers: [layer.descriptor],
    annotations,
  });
  return {
    environment: input.environment,
    repository: input.repository,
    ...(input.mirrors && input.mirrors.length > 0 ? { mirrors: [...input.mirrors] } : {}),
    version: input.version,
    config,
    layer,
    manifest: { descriptor: describeBytes(MEDIA_TYPE_MANIFEST, manifestBytes), bytes: manifestBytes },
  };
}

/** The layer's title, as falcoctl names it: the archive's file name. */
export function layerTitle(rulesFileName: string): string {
  return `${rulesFileName}.tar.gz`;
}

/** The artifact name falcoctl and the index use: the repository's last path segment. */
export function artifactName(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1);
}

function rulesfileConfig(input: ArtifactInput): RulesfileConfig {
  const config: RulesfileConfig = { name: artifactName(input.repository), version: input.version };
  if (input.requiredPluginVersions.length > 0) {
    config.dependencies = [...input.requiredPluginVersions]
      .sort((a, b) => compareStrings(a.name, b.name))
      .map((p) =>
        p.alternatives.length > 0
          ? { name: p.name, version: p.version, alternatives: [...p.alternatives].sort((a, b) => compareStrings(a.name, b.name)) }
          : { name: p.name, version: p.version },
      );
  }
  if (input.requiredEngineVersion !== null) config.requirements = [{ name: ENGINE_REQUIREMENT, version: input.requiredEngineVersion }];
  return config;
}

/** The string annotations of a manifest's bytes (empty when it has none); `invalid-content` when it is not JSON. */
export function readManifestAnnotations(manifest: Uint8Array): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(manifest).toString('utf8'));
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: 'the manifest is not JSON' }, { cause: err });
  }
  const raw = typeof parsed === 'object' && parsed !== null && 'annotations' in parsed ? parsed.annotations : null;
  const out: Record<string, string> = {};
  if (typeof raw === 'object' && raw !== null) for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}
