import type { PackedArtifact } from './artifact.js';
import type { BlobLedger } from './blob-ledger.js';
import { holdFloatingTags, moveFloatingTags, stageVersion, type PublishOptions, type PublishReport } from './publish.js';
import type { Store } from './store.js';

/** One registry repository an artifact goes to, with the blob ledger of its registry. */
export interface RegistryTarget {
  store: Store;
  ledger?: BlobLedger;
}

/**
 * Publishes the same artifact (so the same digest) to several registries, one report per registry,
 * in the order given. The consistency rule:
 *
 * 1. every registry gets the blobs, the manifest and the exact version tag (all at once);
 * 2. only when every registry has the version do the floating tags (X.Y, X, latest) move, registry
 *    by registry, each by its own tags (the one policy of `planTags`);
 * 3. so a failure anywhere never leaves a floating tag on any registry pointing past a version that
 *    some registry lacks: when a registry fails step 1, no registry's floating tags move (they are
 *    reported `pending`) and the failed report names the request; a failure in step 2 leaves tags
 *    that still point at a version every registry has.
 *
 * Every step skips what is already there, so running it again completes an interrupted publish.
 */
export async function publishToRegistries(
  targets: readonly RegistryTarget[],
  artifact: PackedArtifact,
  options: Omit<PublishOptions, 'ledger'> = {},
): Promise<PublishReport[]> {
  const staged = await Promise.all(targets.map((t) => stageVersion(t.store, artifact, { ...options, ...(t.ledger ? { ledger: t.ledger } : {}) })));
  const failed = staged.filter((s) => s.report.error !== null).map((s) => s.store.label);
  if (failed.length > 0) {
    for (const s of staged) holdFloatingTags(s, failed);
    return staged.map((s) => s.report);
  }
  for (const s of staged) await moveFloatingTags(s, artifact, options);
  return staged.map((s) => s.report);
}
