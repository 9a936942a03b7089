/**
 * Three-way merge of a list we replaced: upstream's additions and removals between base and theirs
 * are applied to our copy, and our own additions and removals are kept. Lists are sets to Falco's
 * matching (`in`), so the merge never conflicts; only the order is chosen: ours first, then
 * upstream's new items in their upstream order.
 */
export interface ListMerge {
  items: string[];
  /** Items upstream added that we now carry. */
  addedFromUpstream: string[];
  /** Items upstream removed that we dropped from our copy. */
  removedFromUpstream: string[];
  /** Items we had removed from base and upstream still has: our removal is kept. */
  keptOurRemovals: string[];
}

export function mergeListItems(base: readonly string[], theirs: readonly string[], ours: readonly string[]): ListMerge {
  const baseSet = new Set(base);
  const theirSet = new Set(theirs);
  const ourSet = new Set(ours);
  const removedFromUpstream = unique(ours.filter((i) => baseSet.has(i) && !theirSet.has(i)));
  const removed = new Set(removedFromUpstream);
  const kept = ours.filter((i) => !removed.has(i));
  const addedFromUpstream = unique(theirs.filter((i) => !baseSet.has(i) && !ourSet.has(i)));
  return {
    items: [...kept, ...addedFromUpstream],
    addedFromUpstream,
    removedFromUpstream,
    keptOurRemovals: unique(base.filter((i) => !ourSet.has(i) && theirSet.has(i))),
  };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
