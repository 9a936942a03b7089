export {
  openRepository,
  resolveRevision,
  listFilesAt,
  readFileAt,
  readFilesAt,
  commitTime,
  listTags,
  createTag,
  changedLinesSince,
  type ChangedLines,
} from './git-repository.js';
export { readRevision, type RevisionReader } from './revision-reader.js';
export { withShallowClone, withoutUserInfo, type CloneOptions } from './shallow-clone.js';
