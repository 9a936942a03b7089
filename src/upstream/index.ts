export {
  LOCK_FILE_PATH,
  EMPTY_LOCK,
  parseLockFile,
  renderLockFile,
  sha256Hex,
  withLockedRuleset,
  type LockedRuleset,
  type LockParse,
  type UpstreamLock,
  type UpstreamSource,
} from './lock-file.js';
export { writeFileAtomic } from './atomic-write.js';
export { mergeListItems, type ListMerge } from './merge-list-items.js';
export { rebaseOverlay, extraClause, type Conflict, type RebaseResult, type Rewrite } from './rebase-overlay.js';
export { exclusionsAsExceptions, type ExceptionValues, type ExclusionSplit } from './exclusion-to-exception.js';
export { appendKeepsMeaning, sameCondition } from './append-equivalence.js';
export { fetchUpstream, verifyUpstream, isRegistryReference, writePull, UPSTREAM_DIR, type FetchedRuleset, type PullResult } from './pull-upstream.js';
export { fetchLocalRuleset, type FetchResult } from './fetch-local.js';
export { fetchGitRuleset, gitFromForVersion, isGitReference, parseGitFrom, type GitFetch, type GitFrom } from './fetch-git.js';
export { newestRelease, releaseStatus, type ReleaseStatus } from './newest-release.js';
