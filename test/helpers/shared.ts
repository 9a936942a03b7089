import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one place tests find fixtures that live outside the repository: real upstream rulesets,
 * Falco's golden outputs and Falco's catalogs. Nothing here imports vitest, so the summary
 * reporter can name what is missing; tests skip with `describe.skipIf(missingUpstream(...))`.
 */

/** The repository root (this file is test/helpers/shared.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared` beside the repository (this repository's own CI provides it); FALCO_GITOPS_SHARED moves it. */
const SHARED = resolve(REPO_ROOT, process.env.FALCO_GITOPS_SHARED || '../shared');

/** Where `test/setup/fixtures.ts` pulls the upstream rulesets the tests need when no copy is at hand. */
export const UPSTREAM_CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'falco-gitops', 'test-upstream-rules');

/** The official rulesets tests read by version, pulled from ghcr.io/falcosecurity/rules when absent. */
export const PULLABLE_UPSTREAM: ReadonlyArray<{ ruleset: UpstreamManifestEntry['ruleset']; artifact: string; version: string }> = [
  { ruleset: 'falco_rules', artifact: 'falco-rules', version: '3.2.0' },
  { ruleset: 'falco_rules', artifact: 'falco-rules', version: '4.0.0' },
  { ruleset: 'falco_rules', artifact: 'falco-rules', version: '5.1.0' },
  { ruleset: 'falco-incubating_rules', artifact: 'falco-incubating-rules', version: '6.0.1' },
  { ruleset: 'falco-sandbox_rules', artifact: 'falco-sandbox-rules', version: '6.1.0' },
];

/** The newest release of each official ruleset, in Falco's load order. */
export const LATEST_TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

function upstreamDir(): string {
  const fromEnv = process.env.FALCO_GITOPS_UPSTREAM_RULES;
  if (fromEnv) return resolve(fromEnv);
  const beside = join(SHARED, 'upstream-rules');
  if (existsSync(join(beside, 'manifest.json'))) return beside;
  return UPSTREAM_CACHE;
}

export const UPSTREAM_RULES = upstreamDir();
export const FALCO_GOLDEN = join(SHARED, 'falco-golden');
export const SHARED_DATA = join(SHARED, 'data');

export interface UpstreamManifestEntry {
  ruleset: 'falco_rules' | 'falco-incubating_rules' | 'falco-sandbox_rules';
  version: string;
  file: string;
  tag: string;
  date: string;
  sha256: string;
  bytes: number;
}

/** The upstream manifest, or no entries when no upstream rulesets are at hand. */
export function upstreamManifest(): UpstreamManifestEntry[] {
  const path = join(UPSTREAM_RULES, 'manifest.json');
  if (!existsSync(path)) return [];
  return JSON.parse(readFileSync(path, 'utf8')) as UpstreamManifestEntry[];
}

/** Reads an upstream rules file by its manifest path, e.g. "falco_rules/rules-5.1.0.yaml". */
export function readUpstream(file: string): { path: string; text: string } {
  const path = join(UPSTREAM_RULES, file);
  return { path: `upstream-rules/${file}`, text: readFileSync(path, 'utf8') };
}

/** Why tests that read these upstream files cannot run (undefined when they can); no files: the whole manifest. */
export function missingUpstream(...files: string[]): string | undefined {
  if (!existsSync(join(UPSTREAM_RULES, 'manifest.json'))) return UPSTREAM_HINT;
  const absent = files.filter((f) => !existsSync(join(UPSTREAM_RULES, f)));
  return absent.length > 0 ? `upstream rules ${absent.join(', ')} not in ${UPSTREAM_RULES}` : undefined;
}

/** Why tests that sweep every upstream release cannot run: a pulled cache holds only the versions tests name. */
export function missingUpstreamHistory(): string | undefined {
  return (
    missingUpstream() ??
    (existsSync(join(UPSTREAM_RULES, 'falco_rules/falco-0.3.0.yaml')) ? undefined : `the full upstream history is not in ${UPSTREAM_RULES}`)
  );
}

export function missingGolden(): string | undefined {
  return existsSync(join(FALCO_GOLDEN, 'index.json')) ? undefined : `Falco golden outputs: ${FALCO_GOLDEN} not found`;
}

export function missingData(): string | undefined {
  return existsSync(join(SHARED_DATA, 'falco-event-table.json')) ? undefined : `Falco catalogs: ${SHARED_DATA} not found`;
}

const UPSTREAM_HINT = 'upstream rulesets: set FALCO_GITOPS_UPSTREAM_RULES, provide ../shared/upstream-rules, or allow a pull from ghcr.io/falcosecurity/rules';

/** One line per missing fixture, for the closing summary. */
export function missingFixtures(): string[] {
  return [missingUpstream(), missingGolden(), missingData()].filter((m): m is string => m !== undefined);
}
