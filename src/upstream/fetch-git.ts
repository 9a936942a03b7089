/**
 * Upstream rulesets from a git repository: `git+URL@TAG[#path]`, e.g.
 * `git+https://github.com/falcosecurity/rules@falco-rules-4.0.0#rules` or
 * `git+file:///srv/mirror/rules.git@v1.2.0#rules/falco_rules.yaml`. The path is a file, or a
 * directory holding `<ruleset>.yaml`; without one, `<ruleset>.yaml` then `rules/<ruleset>.yaml`.
 */
import { listFilesAt, readFileAt, withShallowClone, withoutUserInfo, type CloneOptions } from '../git/index.js';
import type { UpstreamSource } from './lock-file.js';

export interface GitFrom {
  url: string;
  tag: string;
  /** Inside the repository, without leading or trailing slashes; '' when not given. */
  path: string;
}

export function isGitReference(from: string): boolean {
  return from.startsWith('git+');
}

/** Splits `git+URL@TAG[#path]`; a message when it is not of that form. */
export function parseGitFrom(from: string): GitFrom | string {
  const usage = `'${withoutUserInfo(from)}' is not git+URL@TAG[#path/in/repo]`;
  if (!isGitReference(from)) return usage;
  const hash = from.indexOf('#');
  const head = from.slice(4, hash < 0 ? undefined : hash);
  const path = hash < 0 ? '' : from.slice(hash + 1).replace(/^\/+|\/+$/g, '');
  const at = head.lastIndexOf('@');
  if (at < 0) return usage;
  const url = head.slice(0, at);
  const tag = head.slice(at + 1);
  // A scheme URL needs a path after its host (`ssh://git` is user info cut at the tag's `@`), or it is scp-like `user@host:path`.
  const schemeUrl = /^[a-z][a-z0-9+.-]*:\/\/\S*\//i.test(url);
  const scpLike = /^[^/:@\s]+@[^/:\s]+:\S+$/.test(url);
  if (tag === '' || /[\s:]/.test(tag) || tag.startsWith('-') || (!schemeUrl && !scpLike) || path.split('/').includes('..')) return usage;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(url))
    return `'${withoutUserInfo(from)}': a password in the URL would be written to the lock; use a git credential helper`;
  return { url, tag, path };
}

export type GitFetch = { ok: true; text: string; path: string; source: UpstreamSource } | { ok: false; message: string };

/** Clones the tag shallowly into a temp directory (removed after), and reads the ruleset's file from it. */
export async function fetchGitRuleset(from: GitFrom, ruleset: string, options: CloneOptions = {}): Promise<GitFetch> {
  const where = `${withoutUserInfo(from.url)}@${from.tag}`;
  const read = await withShallowClone(
    from.url,
    from.tag,
    async (repo, commit) => {
      const listed = await listFilesAt(repo, commit, from.path);
      if (!listed.ok) return listed;
      const candidates =
        from.path === '' ? [`${ruleset}.yaml`, `rules/${ruleset}.yaml`] : listed.value.includes(from.path) ? [from.path] : [`${from.path}/${ruleset}.yaml`];
      for (const path of candidates) {
        const text = await readFileAt(repo, commit, path);
        if (!text.ok) return text;
        if (text.value !== null) return { ok: true as const, value: { text: text.value, path, commit } };
      }
      return { ok: false as const, message: `${where} has none of ${candidates.join(', ')}` };
    },
    options,
  );
  if (!read.ok) return { ok: false, message: read.message };
  const { text, path, commit } = read.value;
  return { ok: true, text, path, source: { kind: 'git', url: from.url, tag: from.tag, path, commit } };
}

/**
 * The git source of another version of a ruleset pinned from git: its tag with the pinned version
 * swapped for the new one (`falco-rules-4.0.0` → `falco-rules-5.1.0`); null when the tag does not
 * spell the pinned version.
 */
export function gitFromForVersion(source: { url: string; tag: string; path?: string }, pinned: string, version: string): GitFrom | null {
  const at = source.tag.lastIndexOf(pinned.replace(/^v/, ''));
  if (at < 0) return null;
  const bare = version.replace(/^v/, '');
  return { url: source.url, tag: `${source.tag.slice(0, at)}${bare}${source.tag.slice(at + pinned.replace(/^v/, '').length)}`, path: source.path ?? '' };
}
