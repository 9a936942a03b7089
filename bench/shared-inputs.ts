import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository (this file compiles to dist/bench/). */
export const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const UPSTREAM_RULES = join(SHARED, 'upstream-rules');

/** The latest upstream release trio, in Falco's load order. */
export const LATEST_TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

export function readUpstreamFile(file: string): { path: string; text: string } {
  return { path: `upstream-rules/${file}`, text: readFileSync(join(UPSTREAM_RULES, file), 'utf8') };
}
