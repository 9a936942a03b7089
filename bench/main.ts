/**
 * `npm run bench`: every benchmark, each printing figures measured in this one run.
 * Ratios compare our work with a baseline timed in the same process, never against fixed numbers.
 */
import type { BenchResult } from './types.js';
import { benchEngine } from './engine.js';
import { benchEnvironments } from './environments.js';
import { benchEvaluate } from './evaluate.js';
import { benchFleet } from './fleet.js';
import { benchLint } from './lint.js';
import { benchPublish } from './oci.js';
import { benchProcess } from './process.js';
import { benchUpstream } from './upstream.js';
import { benchSite } from './site.js';

const BENCHMARKS: { name: string; run: () => Promise<BenchResult[]> }[] = [
  { name: 'process', run: benchProcess },
  { name: 'engine', run: benchEngine },
  { name: 'environments', run: benchEnvironments },
  { name: 'fleet', run: benchFleet },
  { name: 'upstream', run: benchUpstream },
  { name: 'lint', run: benchLint },
  { name: 'evaluate', run: benchEvaluate },
  { name: 'publish', run: benchPublish },
  { name: 'site', run: benchSite },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const bench of BENCHMARKS) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    process.stderr.write(`running ${bench.name}…\n`);
    for (const r of await bench.run()) {
      const value = r.unit === 'x' ? r.value.toFixed(2) : r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
      const target = r.target ? `  (target ${r.target}${r.unit === 'x' ? (meets(r) ? ', met' : ', NOT met') : ''})` : '';
      process.stdout.write(`${r.name.padEnd(64)} ${value} ${r.unit}${target}${r.note ? `  ${r.note}` : ''}\n`);
    }
  }
}

function meets(r: BenchResult): boolean {
  const m = /^(<=|>=)\s*([\d.,]+)/.exec(r.target ?? '');
  if (!m) return true;
  const limit = Number(m[2].replace(/,/g, ''));
  return m[1] === '<=' ? r.value <= limit : r.value >= limit;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
