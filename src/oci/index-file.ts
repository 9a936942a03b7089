import { parse, stringify } from 'yaml';
import { OciError } from './errors.js';

/** One entry of a falcoctl index file (falcoctl pkg/index: Entry), for `falcoctl index add`. */
export interface IndexEntry {
  name: string;
  type: 'rulesfile';
  registry: string;
  repository: string;
  description: string;
  home: string;
  keywords: string[];
  license: string;
  maintainers: { name: string; email: string }[];
  sources: string[];
}

const KEYS: (keyof IndexEntry)[] = ['name', 'type', 'registry', 'repository', 'description', 'home', 'keywords', 'license', 'maintainers', 'sources'];

/**
 * Adds or replaces entries (by name) in an index file's YAML text; `null` starts a new one.
 * Entries we do not own are kept as they are; the result is sorted by name.
 */
export function updateIndexFile(existing: string | null, entries: IndexEntry[]): string {
  let current: unknown = [];
  if (existing !== null && existing.trim() !== '') {
    try {
      current = parse(existing) ?? [];
    } catch (err) {
      throw new OciError({ kind: 'invalid-content', message: `the index file is not valid YAML: ${(err as Error).message}` }, { cause: err });
    }
  }
  if (!Array.isArray(current)) throw new OciError({ kind: 'invalid-content', message: 'the index file must be a YAML list of entries' });
  const byName = new Map<string, unknown>();
  for (const item of current as unknown[]) {
    const name = typeof item === 'object' && item !== null && 'name' in item && typeof item.name === 'string' ? item.name : null;
    if (name === null) throw new OciError({ kind: 'invalid-content', message: 'every index file entry needs a name' });
    byName.set(name, item);
  }
  for (const e of entries) byName.set(e.name, orderedEntry(e));
  const sorted = [...byName.keys()].sort().map((k) => byName.get(k));
  return stringify(sorted, { lineWidth: 0 });
}

function orderedEntry(e: IndexEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) out[k] = e[k];
  return out;
}
