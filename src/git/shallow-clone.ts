/**
 * A temporary shallow clone of one tag (or branch) of a remote repository, for reading a few files
 * of it: cloned without a checkout into a fresh temp directory, and removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { openRepository, resolveRevision, type GitRepository, type GitResult } from './git-repository.js';

export interface CloneOptions {
  /** Where the temporary clone goes; the system temp directory by default. */
  tempRoot?: string;
}

/**
 * Clones `ref` of `url` at depth 1, runs `read` on it with the commit the ref names, and removes the
 * clone whatever happens. Clone failures (no such repository or ref) come back as values.
 */
export async function withShallowClone<T>(
  url: string,
  ref: string,
  read: (repo: GitRepository, commit: string) => Promise<GitResult<T>>,
  options: CloneOptions = {},
): Promise<GitResult<T>> {
  if (url.startsWith('-') || ref.startsWith('-')) return { ok: false, message: `refusing git url '${url}' or ref '${ref}' that starts with '-'` };
  const dir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'falco-gitops-clone-'));
  try {
    try {
      await simpleGit({ baseDir: dir }).raw(['clone', '--quiet', '--depth', '1', '--single-branch', '--no-checkout', '--branch', ref, '--', url, dir]);
    } catch (cause) {
      const detail =
        cause instanceof Error
          ? cause.message
              .trim()
              .split('\n')
              .filter((l) => l.startsWith('fatal:') || l.startsWith('warning:'))
              .join(' ') || cause.message.trim().split('\n')[0]
          : String(cause);
      return { ok: false, message: withoutUserInfo(`cannot clone ${url} at '${ref}': ${detail}`), cause };
    }
    const repo = openRepository(dir);
    const commit = await resolveRevision(repo, 'HEAD');
    if (!commit.ok) return commit;
    return await read(repo, commit.value);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `https://user:token@host/…` → `https://***@host/…`: credentials in a URL never reach a message. */
export function withoutUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
