import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/helpers/shared.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared` beside the repository: upstream rulesets, golden outputs and Falco's catalogs. */
export const SHARED = resolve(REPO_ROOT, '../shared');

export const UPSTREAM_RULES = join(SHARED, 'upstream-rules');
export const FALCO_GOLDEN = join(SHARED, 'falco-golden');

export interface UpstreamManifestEntry {
  ruleset: 'falco_rules' | 'falco-incubating_rules' | 'falco-sandbox_rules';
  version: string;
  file: string;
  tag: string;
  date: string;
  sha256: string;
  bytes: number;
}

export function upstreamManifest(): UpstreamManifestEntry[] {
  return JSON.parse(readFileSync(join(UPSTREAM_RULES, 'manifest.json'), 'utf8')) as UpstreamManifestEntry[];
}

/** Reads an upstream rules file by its manifest path, e.g. "falco_rules/rules-5.1.0.yaml". */
export function readUpstream(file: string): { path: string; text: string } {
  const path = join(UPSTREAM_RULES, file);
  return { path: `upstream-rules/${file}`, text: readFileSync(path, 'utf8') };
}

export function sharedAvailable(): boolean {
  return existsSync(join(UPSTREAM_RULES, 'manifest.json'));
}
