/** OCI artifacts for falcoctl: packing, OCI layouts, a registry client, publish, pull and index.yaml. */
export { packArtifact, artifactName, readManifestAnnotations, type ArtifactInput, type PackedArtifact, type RulesfileConfig } from './artifact.js';
export { writeOciLayout, readLayoutIndex, readLayoutArtifact, LayoutStore, type LayoutEntry } from './layout-store.js';
export { RegistryStore, openRegistryStore } from './registry-store.js';
export { OrasCliStore } from './oras-cli-store.js';
export { HttpClient, DEFAULT_RETRY } from './http.js';
export { resolveCredential, type Credential } from './credentials.js';
export { redact, SecretSet } from './redact.js';
export { OciError } from './errors.js';
export { parseReference, splitRepository, isLoopbackHost, type Reference } from './reference.js';
export { planTags } from './floating-tags.js';
export { publishArtifact, type PublishReport, type PublishStatus, type PublishedTag } from './publish.js';
export { publishToRegistries, type RegistryTarget } from './publish-registries.js';
export { BlobLedger } from './blob-ledger.js';
export { runTasks, type QueuedTask } from './task-queue.js';
export { pullArtifact, extractLayer } from './pull.js';
export {
  updateIndexFile,
  writeIndexFile,
  indexEntryFor,
  checkCosignIdentity,
  type IndexEntry,
  type IndexMetadata,
  type CosignIdentity,
} from './falcoctl-index.js';
export { sha256Digest } from './digest.js';
export * from './media-types.js';
export type { Descriptor, Store } from './store.js';
