export {
  LOCK_FILE_PATH,
  EMPTY_LOCK,
  parseLockFile,
  renderLockFile,
  sha256Hex,
  withLockedRuleset,
  type LockedRuleset,
  type UpstreamLock,
  type UpstreamSource,
} from './lock-file.js';
export { lockDrift } from './lock-drift.js';
export { mergeListItems } from './merge-list-items.js';
export { rebaseOverlay, type Conflict, type Rewrite } from './rebase-overlay.js';
export { exclusionsAsExceptions } from './exclusion-to-exception.js';
export { fetchUpstream, verifyUpstream, isRegistryReference, writePull } from './pull-upstream.js';
export { fetchGitRuleset, gitFromForVersion, isGitReference, parseGitFrom, type GitFrom } from './fetch-git.js';
export { newestRelease, releaseStatus, type ReleaseStatus } from './newest-release.js';
export { planUpdate, writeUpdate, type EnvironmentStack } from './update-upstream.js';
