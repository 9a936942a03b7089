/**
 * Read-only access to a git repository through simple-git: files of any revision (never the
 * working tree), commit times and tags. Library exceptions are caught here, once, and become values.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { didYouMean, fileSizeRefusal } from '../diagnostics/index.js';
import { compareStrings } from '../config/compare-paths.js';

export type GitResult<T> = { ok: true; value: T } | { ok: false; message: string; cause?: unknown };

export interface GitRepository {
  /** The repository's top-level directory. */
  dir: string;
  git: SimpleGit;
}

export function openRepository(dir: string): GitRepository {
  return { dir, git: simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 }) };
}

/** The full commit id a revision names, or an error naming the revision. */
export async function resolveRevision(repo: GitRepository, ref: string): Promise<GitResult<string>> {
  const resolved = await attempt(`cannot resolve revision '${ref}'`, async () =>
    (await repo.git.raw(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim(),
  );
  if (resolved.ok) return resolved;
  const branches = await attempt('', async () =>
    (await repo.git.raw(['for-each-ref', '--format=%(refname:short)', '--count=20', 'refs/heads', 'refs/remotes'])).split('\n').filter((b) => b !== ''),
  );
  const known = branches.ok ? branches.value : [];
  const hint = didYouMean(ref, known) ?? (known.length > 0 ? `branches here: ${known.join(', ')}` : undefined);
  return hint === undefined ? resolved : { ...resolved, message: `${resolved.message} (${hint})` };
}

/** Paths of the files a revision holds under `prefix` (a folder, no trailing slash), sorted byte-wise. */
export async function listFilesAt(repo: GitRepository, commit: string, prefix = ''): Promise<GitResult<string[]>> {
  const args = ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit];
  if (prefix !== '') args.push('--', prefix);
  return attempt(`cannot list files of ${commit}`, async () => {
    const out = await repo.git.raw(args);
    return out
      .split('\0')
      .filter((p) => p !== '')
      .sort(compareStrings);
  });
}

/** Blob sizes in bytes of every file at a revision (`git ls-tree -l`), read without reading the blobs. */
export async function fileSizesAt(repo: GitRepository, commit: string): Promise<GitResult<Map<string, number>>> {
  return attempt(`cannot list files of ${commit}`, async () => {
    const sizes = new Map<string, number>();
    for (const entry of (await repo.git.raw(['ls-tree', '-r', '-z', '-l', '--full-tree', commit])).split('\0')) {
      // "<mode> <type> <object> <size>\t<path>"; the size is "-" for what is not a blob
      const tab = entry.indexOf('\t');
      const size = Number(entry.slice(0, tab).trim().split(/\s+/)[3]);
      if (tab > 0 && Number.isFinite(size)) sizes.set(entry.slice(tab + 1), size);
    }
    return sizes;
  });
}

/** A file's text at a revision, or null when the revision has no such file. */
export async function readFileAt(repo: GitRepository, commit: string, path: string): Promise<GitResult<string | null>> {
  const listed = await listFilesAt(repo, commit, path);
  if (!listed.ok) return listed;
  if (!listed.value.includes(path)) return { ok: true, value: null };
  return showChecked(repo, commit, path);
}

/** A blob's text, after its size (`git cat-file -s`) is checked against the limit for a rules file. */
async function showChecked(repo: GitRepository, commit: string, path: string): Promise<GitResult<string>> {
  const size = await attempt(`cannot read ${path} at ${commit}`, async () => Number((await repo.git.raw(['cat-file', '-s', `${commit}:${path}`])).trim()));
  if (!size.ok) return size;
  const refused = fileSizeRefusal(path, size.value);
  if (refused !== undefined) return { ok: false, message: `cannot read ${path} at ${commit}: ${refused}` };
  return attempt(`cannot read ${path} at ${commit}`, () => repo.git.show([`${commit}:${path}`]));
}

/** Reads several files of one revision; missing files are left out. */
export async function readFilesAt(repo: GitRepository, commit: string, paths: string[]): Promise<GitResult<Map<string, string>>> {
  const files = new Map<string, string>();
  for (const path of paths) {
    const read = await showChecked(repo, commit, path);
    if (!read.ok) return read;
    files.set(path, read.value);
  }
  return { ok: true, value: files };
}

/** The committer time of a revision. */
export async function commitTime(repo: GitRepository, commit: string): Promise<GitResult<Date>> {
  return attempt(`cannot read the time of ${commit}`, async () => {
    const out = (await repo.git.raw(['show', '-s', '--format=%ct', commit])).trim();
    return new Date(Number(out) * 1000);
  });
}

/** Tags matching a glob (git's `--list` pattern), sorted byte-wise. */
export async function listTags(repo: GitRepository, pattern = '*'): Promise<GitResult<string[]>> {
  return attempt('cannot list tags', async () => {
    const out = await repo.git.raw(['tag', '--list', pattern]);
    return out
      .split('\n')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .sort(compareStrings);
  });
}

/** Creates an annotated tag at a commit; fails (as a value) when the tag exists. */
export async function createTag(repo: GitRepository, name: string, commit: string, message: string): Promise<GitResult<void>> {
  return attempt(`cannot create tag '${name}'`, async () => {
    await repo.git.raw(['tag', '-a', '-m', message, '--end-of-options', name, commit]);
  });
}

async function attempt<T>(message: string, run: () => Promise<T>): Promise<GitResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.trim().split('\n')[0] : String(cause);
    return { ok: false, message: `${message}: ${detail}`, cause };
  }
}
