/**
 * Whole-process timings with hyperfine, side by side in one run: the command as installed (the
 * launcher and the single-file bundle) against bare Node, and `compile` of the newest upstream trio
 * against a script that only parses the three files with `yaml`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LATEST_TRIO, UPSTREAM_RULES } from './shared-inputs.js';
import type { BenchResult } from './types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface HyperfineResult {
  command: string;
  median: number;
}

export async function benchProcess(): Promise<BenchResult[]> {
  if (spawnSync('hyperfine', ['--version']).error)
    return [{ name: 'whole-process benchmarks', value: 0, unit: 'skipped', note: 'hyperfine is not installed (apt-get install hyperfine)' }];
  const node = process.execPath;
  const cli = `${node} ${join(ROOT, 'bin/falco-gitops.mjs')}`;
  const trio = LATEST_TRIO.map((f) => join(UPSTREAM_RULES, f)).join(' ');
  const commands = {
    node: `${node} -e 0`,
    version: `${cli} --version`,
    parse: `${node} ${join(ROOT, 'scripts/bench-parse-trio.mjs')} ${trio}`,
    compile: `${cli} compile --format json ${trio}`,
    compileNoCache: `${cli} compile --no-cache --format json ${trio}`,
  };
  const dir = mkdtempSync(join(tmpdir(), 'fg-bench-process-'));
  try {
    const out = join(dir, 'hyperfine.json');
    // -N: no intermediate shell, so the ratios are of the processes alone.
    execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', '15', '--style', 'none', '--export-json', out, ...Object.values(commands)], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') },
    });
    const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: HyperfineResult[] }).results;
    const median = (command: string) => results.find((r) => r.command === command)!.median * 1000;
    const ms = Object.fromEntries(Object.entries(commands).map(([k, c]) => [k, median(c)])) as Record<keyof typeof commands, number>;
    return [
      { name: 'node -e 0 (median, ms)', value: ms.node, unit: 'ms' },
      { name: 'falco-gitops --version (median, ms)', value: ms.version, unit: 'ms' },
      { name: 'falco-gitops --version / node -e 0', value: ms.version / ms.node, unit: 'x', target: '<= 1.5x' },
      { name: 'yaml parse of the upstream trio, whole process (median, ms)', value: ms.parse, unit: 'ms' },
      { name: 'falco-gitops compile of the trio, parse cache warm (median, ms)', value: ms.compile, unit: 'ms' },
      { name: 'falco-gitops compile of the trio / yaml parse', value: ms.compile / ms.parse, unit: 'x', target: '<= 1.2x' },
      { name: 'falco-gitops compile --no-cache of the trio / yaml parse', value: ms.compileNoCache / ms.parse, unit: 'x' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
