/** OCI artifacts for falcoctl: packing, OCI layouts, a registry client, publish, pull and index.yaml. */
export { packArtifact, artifactName, layerTitle, readManifestAnnotations, type ArtifactInput, type PackedArtifact, type Blob, type RulesfileConfig, type PluginRequirement } from './artifact.js';
export { writeOciLayout, readLayoutIndex, readLayoutArtifact, LayoutStore, type LayoutEntry } from './layout-store.js';
export { RegistryStore, openRegistryStore, type RegistryTarget } from './registry-store.js';
export { OrasCliStore } from './oras-cli-store.js';
export { HttpClient, DEFAULT_RETRY, type HttpOptions, type RetryPolicy } from './http.js';
export { resolveCredential, runCredentialHelper, ENV_USERNAME, ENV_PASSWORD, type Credential, type CredentialSources } from './credentials.js';
export { redact, SecretSet } from './redact.js';
export { OciError, type OciErrorKind } from './errors.js';
export { parseReference, formatReference, splitRepository, isLoopbackHost, type Reference } from './reference.js';
export { planTags, type TagPlan } from './floating-tags.js';
export { publishArtifact, type PublishReport, type PublishOptions, type PublishedTag } from './publish.js';
export { BlobLedger } from './blob-ledger.js';
export { runTasks, type QueuedTask } from './task-queue.js';
export { pullArtifact, extractLayer, DEFAULT_LIMITS, type PullResult, type ExtractLimits } from './pull.js';
export { updateIndexFile, writeIndexFile, indexEntryFor, checkCosignIdentity, type IndexEntry, type IndexMetadata, type IndexSubject, type CosignIdentity } from './index-file.js';
export { sha256Digest } from './digest.js';
export * from './media-types.js';
export type { Descriptor, Store } from './store.js';
