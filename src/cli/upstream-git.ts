import { fetchGitRuleset, gitFromForVersion, parseGitFrom, type GitFrom, type LockedRuleset, type UpstreamSource } from '../upstream/index.js';
import { CliError } from './exit.js';

/** The ruleset's file from `git+URL@TAG[#path]` (a shallow clone in a temp directory, removed after). */
export async function fetchGitSource(from: string | GitFrom, ruleset: string): Promise<{ text: string; source: UpstreamSource }> {
  const parsed = typeof from === 'string' ? parseGitFrom(from) : from;
  if (typeof parsed === 'string') throw new CliError(parsed, 'usage-error');
  const fetched = await fetchGitRuleset(parsed, ruleset);
  if (!fetched.ok) throw new CliError(fetched.message);
  return { text: fetched.text, source: fetched.source };
}

/** A ruleset pinned from git, at another version: the same repository and path, the tag renamed. */
export async function fetchGitVersion(entry: LockedRuleset, version: string): Promise<{ text: string; source: UpstreamSource }> {
  if (entry.source.kind !== 'git') throw new CliError(`ruleset ${entry.name} was not pinned from git`, 'usage-error');
  const from = gitFromForVersion(entry.source, entry.version, version);
  if (from === null)
    throw new CliError(
      `${version}: the tag '${entry.source.tag}' of ruleset ${entry.name} does not spell its version ${entry.version}; pass a file or directory`,
      'usage-error',
    );
  return fetchGitSource(from, entry.name);
}
