import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedReader, parseCacheDir, pruneParseCache } from '../../src/files/parse-cache.js';
import { readRulesFile } from '../../src/rules/index.js';
import { REPO_ROOT } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-parse-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES = '- macro: m\n  condition: evt.type = open\n- rule: R\n  desc: d\n  condition: m and proc.name = cat\n  output: o\n  priority: INFO\n';
/** The cache's entries (its `.pruned` marker is not one). */
const files = (root: string) =>
  existsSync(root)
    ? readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name !== '.pruned')
        .map((e) => join(e.parentPath, e.name))
    : [];

describe('the parsed-file cache', () => {
  it('gives what parsing gives, from one file per (build, path, text); another build or text is another entry', () => {
    const env = { FALCO_GITOPS_CACHE_DIR: join(dir, 'a') };
    const source = { path: 'r.yaml', text: RULES };
    const first = cachedReader(env, 'build-1')!(source);
    expect(first).toEqual(readRulesFile(source));
    expect(files(parseCacheDir(env))).toHaveLength(1);
    expect(cachedReader(env, 'build-1')!(source)).toEqual(first);
    expect(files(parseCacheDir(env))).toHaveLength(1);
    cachedReader(env, 'build-2')!(source);
    cachedReader(env, 'build-1')!({ path: 'r.yaml', text: `${RULES}\n` });
    expect(files(parseCacheDir(env))).toHaveLength(3);
  });

  it('a damaged entry is parsed again, not trusted', () => {
    const env = { FALCO_GITOPS_CACHE_DIR: join(dir, 'b') };
    const source = { path: 'r.yaml', text: RULES };
    cachedReader(env, 'b')!(source);
    const [entry] = files(parseCacheDir(env));
    writeFileSync(entry!, '{"items": [');
    expect(cachedReader(env, 'b')!(source)).toEqual(readRulesFile(source));
  });

  it("prunes at most once a day: entries past their age, dead runs' temp files, the oldest past the size cap; never a link's target", () => {
    const cache = join(dir, 'prune', 'parsed');
    const outside = join(dir, 'prune', 'outside.json');
    mkdirSync(join(cache, 'ab'), { recursive: true });
    writeFileSync(outside, 'keep me');
    const day = 24 * 60 * 60 * 1000;
    const now = Date.UTC(2026, 0, 31);
    const entry = (name: string, daysOld: number, bytes = 10) => {
      const path = join(cache, 'ab', name);
      writeFileSync(path, 'x'.repeat(bytes));
      utimesSync(path, (now - daysOld * day) / 1000, (now - daysOld * day) / 1000);
      return name;
    };
    entry(`${'a'.repeat(64)}.json`, 40);
    entry(`${'b'.repeat(64)}.json`, 3, 100);
    entry(`${'c'.repeat(64)}.json`, 2, 100);
    entry(`${'d'.repeat(64)}.json`, 1, 100);
    entry(`${'e'.repeat(64)}.json.1.aaaa.tmp`, 2);
    entry(`${'f'.repeat(64)}.json.2.bbbb.tmp`, 0);
    symlinkSync(outside, join(cache, 'ab', `${'9'.repeat(64)}.json`));
    const left = () =>
      readdirSync(join(cache, 'ab'))
        .map((n) => n[0])
        .sort();

    // a, past 30 days, and e, a temp file over a day old, go; then b, the oldest, to fit 250 bytes
    expect(pruneParseCache(cache, { now, maxBytes: 250 })).toBe(3);
    expect(left()).toEqual(['9', 'c', 'd', 'f']);
    expect(existsSync(outside)).toBe(true);
    // within a day of the last prune nothing is looked at
    entry(`${'0'.repeat(64)}.json`, 40);
    expect(pruneParseCache(cache, { now: now + day - 1, maxBytes: 250 })).toBe(0);
    // a day later: the 40-day-old entry, and f, now a temp file over a day old
    expect(pruneParseCache(cache, { now: now + day + 1, maxBytes: 250 })).toBe(2);
    expect(left()).toEqual(['9', 'c', 'd']);
  });

  it('is off when running from sources (no single build file to key by)', () => {
    expect(cachedReader({ FALCO_GITOPS_CACHE_DIR: join(dir, 'c') })).toBeUndefined();
  });

  it('concurrent compiles through the bundle agree, leave whole entries only, and --no-cache writes none', async () => {
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, RULES);
    const compile = (cacheDir: string, ...flags: string[]) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/falco-gitops.mjs'), 'compile', '--format', 'json', ...flags, rules], {
          env: { ...process.env, FALCO_GITOPS_CACHE_DIR: cacheDir },
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const shared = join(dir, 'd');
    const outputs = await Promise.all(Array.from({ length: 6 }, () => compile(shared)));
    expect(new Set(outputs).size).toBe(1);
    expect(await compile(shared)).toBe(outputs[0]);
    const entries = files(join(shared, 'parsed'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/[0-9a-f]{64}\.json$/);
    expect(await compile(join(dir, 'e'), '--no-cache')).toBe(outputs[0]);
    expect(files(join(dir, 'e'))).toEqual([]);
  });
});
