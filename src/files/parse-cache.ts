import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
 * A reader that keeps each parsed rules file on disk, content-addressed (build, path and text), so
 * the next run reads JSON instead of parsing YAML again (parsing is most of a compile). Writes are
 * atomic (a unique temp file renamed into place), so concurrent runs never see half a file; a cache
 * that cannot be read or written is simply not used.
 */
export function cachedReader(env: NodeJS.ProcessEnv, build: string | undefined = bundleDigest()): ((source: SourceFile) => RulesFile) | undefined {
  if (build === undefined) return undefined;
  const dir = parseCacheDir(env);
  return (source) => {
    const key = createHash('sha256').update(`${build}\0${source.path}\0`).update(source.text).digest('hex');
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
    } catch {
      rmSync(temp, { force: true });
    }
    return parsed;
  };
}

/** The parser a command reads rules files with: through the cache unless its `--no-cache` turned `use` off. */
export function parserFor(use: boolean, env: NodeJS.ProcessEnv): ((source: SourceFile) => RulesFile) | undefined {
  return use ? cachedReader(env) : undefined;
}
