import { fetchGitRuleset, parseGitFrom, type UpstreamSource } from '../upstream/index.js';
import { CliError } from './exit.js';

/** The ruleset's file from `git+URL@TAG[#path]` (a shallow clone in a temp directory, removed after). */
export async function fetchGitSource(from: string, ruleset: string): Promise<{ text: string; source: UpstreamSource }> {
  const parsed = parseGitFrom(from);
  if (typeof parsed === 'string') throw new CliError(parsed, 'usage-error');
  const fetched = await fetchGitRuleset(parsed, ruleset);
  if (!fetched.ok) throw new CliError(fetched.message);
  return { text: fetched.text, source: fetched.source };
}
