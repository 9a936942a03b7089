import type { PackedArtifact, Blob } from './artifact.js';
import type { BlobLedger } from './blob-ledger.js';
import { OciError, toOciError } from './errors.js';
import { planTags, type TagPlan } from './floating-tags.js';
import { canMount, type BlobOutcome, type Store } from './store.js';

/** `held`: a newer version keeps the tag; `pending`: the tag waits until every registry has this version. */
export type TagAction = 'created' | 'moved' | 'unchanged' | 'held' | 'pending';

export interface PublishedTag {
  tag: string;
  action: TagAction;
  /** For `held`: the newer version that keeps the tag; for `pending`: the registries that lack this version. */
  by?: string;
}

export interface PublishReport {
  environment: string;
  target: string;
  version: string;
  digest: string;
  blobs: { digest: string; outcome: BlobOutcome | 'would-upload' }[];
  tags: PublishedTag[];
  dryRun: boolean;
  /**
   * `unchanged`: the registry already had this digest at the version tag and no tag or blob had to
   * move (or, on a dry run, would have had to); `would-publish` on a dry run that would change something.
   */
  status: PublishStatus;
  error: OciError | null;
}

export type PublishStatus = 'published' | 'unchanged' | 'would-publish' | 'failed';

export interface PublishOptions {
  force?: boolean;
  dryRun?: boolean;
  /** Which repositories of the same registry hold (or are uploading) which blobs, shared by the publishes of one run, for cross-repository mounts. */
  ledger?: BlobLedger;
  /** Repositories of the same registry to try mounting any missing blob from (e.g. an earlier release's). */
  mountFrom?: string[];
  onProgress?: (line: string) => void;
}

/**
 * Publishes one packed artifact: blobs (skipping those present, mounting where possible), the
 * manifest by digest, then the exact version tag, then floating tags. A failure before the
 * version tag leaves no tag pointing at anything new. An existing version tag with another digest
 * is refused unless `force`.
 */
export async function publishArtifact(store: Store, artifact: PackedArtifact, options: PublishOptions = {}): Promise<PublishReport> {
  const staged = await stageVersion(store, artifact, options);
  if (staged.plan) await moveFloatingTags(staged, artifact, options);
  return staged.report;
}

/** A registry that got (or failed to get) an artifact's version tag, and its floating-tag plan. */
export interface StagedVersion {
  store: Store;
  report: PublishReport;
  /** Null when staging failed (the error is in the report). */
  plan: TagPlan | null;
  existing: string[];
}

/**
 * First half of a publish: blobs, the manifest by digest and the exact version tag; no floating
 * tag moves. The floating-tag plan is made from the tags the repository had before.
 */
export async function stageVersion(store: Store, artifact: PackedArtifact, options: PublishOptions = {}): Promise<StagedVersion> {
  const report: PublishReport = {
    environment: artifact.environment,
    target: `${store.label}:${artifact.version}`,
    version: artifact.version,
    digest: artifact.manifest.descriptor.digest,
    blobs: [],
    tags: [],
    dryRun: options.dryRun ?? false,
    status: options.dryRun ? 'would-publish' : 'published',
    error: null,
  };
  const progress = options.onProgress ?? (() => undefined);
  const blobs = [artifact.config, artifact.layer];
  // claimed before the first await, so publishes started earlier always claim first
  const release =
    canMount(store) && !report.dryRun
      ? options.ledger?.claim(
          store.repository,
          blobs.map((b) => b.descriptor.digest),
        )
      : undefined;
  const existing: string[] = [];
  try {
    for await (const t of store.listTags()) existing.push(t);
    const current = existing.includes(artifact.version) ? await store.resolve(artifact.version) : null;
    if (current && current.digest !== report.digest && !options.force) {
      throw new OciError({
        kind: 'immutable-version',
        message: `${store.label}:${artifact.version} already points at ${current.digest}; versions are immutable (bump the version, or pass --force)`,
      });
    }
    const plan = planTags(artifact.version, existing);
    // config and layer go up together; the manifest waits for both
    const outcomes = await settleAll(blobs.map((blob) => pushBlob(store, blob, options)));
    blobs.forEach((blob, i) => report.blobs.push({ digest: blob.descriptor.digest, outcome: outcomes[i] }));
    progress(`${artifact.environment}: ${store.label}: blobs ${summariseBlobs(report.blobs)}`);
    // the version tag already naming this digest proves the manifest is there
    if (!report.dryRun && current?.digest !== report.digest) await store.push(artifact.manifest.descriptor, artifact.manifest.bytes);
    const action: TagAction = current?.digest === report.digest ? 'unchanged' : current ? 'moved' : 'created';
    if (action !== 'unchanged' && !report.dryRun) await store.tag(artifact.manifest.descriptor, plan.version);
    report.tags.push({ tag: plan.version, action });
    return { store, report, plan, existing };
  } catch (err) {
    report.error = toOciError(err, { kind: 'request' });
    report.status = 'failed';
    progress(`${artifact.environment}: ${store.label}: failed: ${report.error.message}`);
    return { store, report, plan: null, existing };
  } finally {
    release?.();
  }
}

/**
 * Second half of a publish: the floating tags of a staged version, together (each moves only if
 * this version is the newest in its line, so their order does not matter). Tags missing from
 * `existing` need no lookup.
 */
export async function moveFloatingTags(staged: StagedVersion, artifact: PackedArtifact, options: PublishOptions = {}): Promise<void> {
  const { store, report, plan, existing } = staged;
  if (!plan) return;
  const progress = options.onProgress ?? (() => undefined);
  const manifest = artifact.manifest.descriptor;
  const one = async (tag: string): Promise<PublishedTag> => {
    const before = existing.includes(tag) ? ((await store.resolve(tag))?.digest ?? null) : null;
    const action: TagAction = before === manifest.digest ? 'unchanged' : before === null ? 'created' : 'moved';
    if (action !== 'unchanged' && !report.dryRun) await store.tag(manifest, tag);
    return { tag, action };
  };
  try {
    report.tags.push(...(await settleAll(plan.floating.map(one))));
    for (const h of plan.held) report.tags.push({ tag: h.tag, action: 'held', by: h.by });
    const moved = report.tags.some((t) => t.action === 'created' || t.action === 'moved') || report.blobs.some((b) => b.outcome !== 'present');
    if (!moved) report.status = 'unchanged';
    progress(
      report.status === 'unchanged'
        ? `${artifact.environment}: unchanged ${report.target} (${report.digest}): the registry already has it`
        : `${artifact.environment}: ${report.dryRun ? 'would publish' : 'published'} ${report.target} (${report.digest})`,
    );
  } catch (err) {
    report.error = toOciError(err, { kind: 'request' });
    report.status = 'failed';
    progress(`${artifact.environment}: ${store.label}: failed: ${report.error.message}`);
  }
}

/** Floating tags a staged version would move, reported as waiting for the registries that failed. */
export function holdFloatingTags(staged: StagedVersion, failed: string[]): void {
  if (!staged.plan) return;
  for (const tag of staged.plan.floating) staged.report.tags.push({ tag, action: 'pending', by: failed.join(', ') });
  for (const h of staged.plan.held) staged.report.tags.push({ tag: h.tag, action: 'held', by: h.by });
}

async function pushBlob(store: Store, blob: Blob, options: PublishOptions): Promise<BlobOutcome | 'would-upload'> {
  const d = blob.descriptor;
  const outcome = await placeBlob(store, blob, options);
  if (outcome !== 'would-upload' && canMount(store)) options.ledger?.record(d.digest, store.repository);
  return outcome;
}

async function placeBlob(store: Store, blob: Blob, options: PublishOptions): Promise<BlobOutcome | 'would-upload'> {
  const d = blob.descriptor;
  if (await store.exists(d)) return 'present';
  if (options.dryRun) return 'would-upload';
  if (canMount(store)) {
    const known = options.ledger ? await options.ledger.holderFor(d.digest, store.repository) : null;
    const candidates = [...new Set([...(known ? [known] : []), ...(options.mountFrom ?? [])])].filter((r) => r !== store.repository);
    for (const from of candidates) if (await store.mount(d, from)) return 'mounted';
  }
  await store.push(d, blob.bytes);
  return 'uploaded';
}

/** Promise.all that lets every operation finish before reporting the first failure, so nothing runs on after it. */
async function settleAll<T>(operations: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(operations);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function summariseBlobs(blobs: PublishReport['blobs']): string {
  const count = (o: string) => blobs.filter((b) => b.outcome === o).length;
  return `${count('uploaded')} uploaded, ${count('mounted')} mounted, ${count('present')} present${count('would-upload') ? `, ${count('would-upload')} to upload` : ''}`;
}
