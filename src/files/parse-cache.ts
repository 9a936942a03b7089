import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRulesFile, type RulesFile, type SourceFile } from '../rules/index.js';

/**
 * The bytes of the running build, when it is the single-file bundle: parsed files are keyed by them,
 * so no other build ever reads them. Run from sources (tests, dist/) there is no one build file, and
 * no cache.
 */
function bundleDigest(): string | undefined {
  const self = fileURLToPath(import.meta.url);
  if (!/[\\/]bundle[\\/]falco-gitops\.mjs$/.test(self)) return undefined;
  return createHash('sha256').update(readFileSync(self)).digest('hex');
}

/** `$XDG_CACHE_HOME/falco-gitops/parsed` (`~/.cache/…` without it); FALCO_GITOPS_CACHE_DIR replaces it. */
export function parseCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.FALCO_GITOPS_CACHE_DIR) return join(env.FALCO_GITOPS_CACHE_DIR, 'parsed');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'falco-gitops', 'parsed');
}

/**
 * A reader that keeps each parsed rules file on disk, content-addressed (build, path and the text's sha256), so
 * the next run reads JSON instead of parsing YAML again (parsing is most of a compile). Writes are
 * atomic (a unique temp file renamed into place), so concurrent runs never see half a file; a cache
 * that cannot be read or written is simply not used.
 */
export function cachedReader(
  env: NodeJS.ProcessEnv,
  build: string | undefined = bundleDigest(),
): ((source: SourceFile & { sha256?: string }) => RulesFile) | undefined {
  if (build === undefined) return undefined;
  const dir = parseCacheDir(env);
  return (source) => {
    // the text's sha256 when the caller already took it (the rules-file cache does), so no file is hashed twice
    const digest = source.sha256 ?? createHash('sha256').update(source.text).digest('hex');
    const key = createHash('sha256').update(`${build}\0${source.path}\0${digest}`).digest('hex');
    const file = join(dir, key.slice(0, 2), `${key}.json`);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as RulesFile;
    } catch {
      // not cached yet, or unreadable: parse
    }
    const parsed = readRulesFile(source);
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
      writeFileSync(temp, JSON.stringify(parsed));
      renameSync(temp, file);
      pruneParseCache(dir);
    } catch {
      rmSync(temp, { force: true });
    }
    return parsed;
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface PruneLimits {
  now?: number;
  /** Entries written longer ago are removed (a file still in use is parsed and written again once). */
  maxAgeMs?: number;
  /** Past this total, the oldest entries are removed. */
  maxBytes?: number;
}

/**
 * Keeps the cache bounded: at most once a day (a `.pruned` marker's time says when it last ran),
 * removes entries written over 30 days ago, temp files left by runs that died, and the oldest
 * entries past 256 MB. Only regular files are touched, never what a link points to; another run
 * reading an entry removed under it just parses the file again. Returns how many files it removed.
 */
export function pruneParseCache(dir: string, { now = Date.now(), maxAgeMs = 30 * DAY_MS, maxBytes = 256 * 1024 * 1024 }: PruneLimits = {}): number {
  const marker = join(dir, '.pruned');
  try {
    if (statSync(marker).mtimeMs > now - DAY_MS) return 0;
  } catch {
    // never pruned
  }
  try {
    writeFileSync(marker, '');
    utimesSync(marker, now / 1000, now / 1000);
    const entries: { path: string; mtimeMs: number; size: number }[] = [];
    for (const shard of readdirSync(dir, { withFileTypes: true })) {
      if (!shard.isDirectory() || !/^[0-9a-f]{2}$/.test(shard.name)) continue;
      for (const entry of readdirSync(join(dir, shard.name), { withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = join(dir, shard.name, entry.name);
        const { mtimeMs, size } = statSync(path);
        entries.push({ path, mtimeMs, size });
      }
    }
    let removed = 0;
    const remove = (path: string) => {
      rmSync(path, { force: true });
      removed += 1;
    };
    const kept = entries.filter((e) => {
      const temp = e.path.endsWith('.tmp');
      const stale = temp ? e.mtimeMs < now - DAY_MS : e.mtimeMs < now - maxAgeMs;
      if (stale) remove(e.path);
      // a young temp file is another run's write in progress: never counted, never removed
      return !stale && !temp;
    });
    let total = kept.reduce((sum, e) => sum + e.size, 0);
    for (const e of kept.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= maxBytes) break;
      remove(e.path);
      total -= e.size;
    }
    return removed;
  } catch {
    // a cache that cannot be pruned now is pruned another day
    return 0;
  }
}

/** The parser a command reads rules files with: through the cache unless its `--no-cache` turned `use` off. */
export function parserFor(use: boolean, env: NodeJS.ProcessEnv): ((source: SourceFile & { sha256?: string }) => RulesFile) | undefined {
  return use ? cachedReader(env) : undefined;
}
