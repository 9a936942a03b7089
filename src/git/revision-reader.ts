import { fileSizeRefusal } from '../diagnostics/index.js';
import { fileSizesAt, listFilesAt, resolveRevision, type GitRepository, type GitResult } from './git-repository.js';

/** Read access to one revision's files, shaped like config's RepositoryReader (sync reads). */
export interface RevisionReader {
  commit: string;
  readText(path: string): string | undefined;
  listFiles(dir: string): string[];
  /** Why a file of the revision was not read (over the size limit); undefined when it was. */
  refusal(path: string): string | undefined;
}

/** File names worth loading up front: configuration and rules files. */
const TEXT_FILE = /\.(ya?ml)$/;

/**
 * Snapshots the YAML files of a revision into memory (never the working tree), so the
 * configuration and rules of that revision can be read synchronously.
 */
export async function readRevision(repo: GitRepository, ref: string): Promise<GitResult<RevisionReader>> {
  const commit = await resolveRevision(repo, ref);
  if (!commit.ok) return commit;
  const listed = await listFilesAt(repo, commit.value);
  if (!listed.ok) return listed;
  const sizes = await fileSizesAt(repo, commit.value);
  if (!sizes.ok) return sizes;
  const refusals = new Map<string, string>();
  const texts = new Map<string, string>();
  for (const path of listed.value.filter((p) => TEXT_FILE.test(p))) {
    const refused = fileSizeRefusal(path, sizes.value.get(path) ?? 0);
    if (refused !== undefined) {
      refusals.set(path, refused);
      continue;
    }
    try {
      texts.set(path, await repo.git.show([`${commit.value}:${path}`]));
    } catch (cause) {
      return { ok: false, message: `cannot read ${path} at ${ref}: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, cause };
    }
  }
  const all = listed.value;
  return {
    ok: true,
    value: {
      commit: commit.value,
      readText: (path) => texts.get(path.replace(/^\.\//, '')),
      refusal: (path) => refusals.get(path.replace(/^\.\//, '')),
      listFiles: (dir) => {
        const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
        return all.filter((p) => p.startsWith(prefix));
      },
    },
  };
}
