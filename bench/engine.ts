import { parse } from 'yaml';
import { loadRules } from '../src/rules/index.js';
import type { BenchResult } from './types.js';
import { interleavedMedianMs } from './timing.js';
import { LATEST_TRIO, readUpstreamFile } from './shared-inputs.js';

/** Load + merge + compile of the latest upstream trio, against a raw `yaml` parse of the same files. */
export async function benchEngine(): Promise<BenchResult[]> {
  const files = LATEST_TRIO.map(readUpstreamFile);
  const [rawParse, pipeline] = interleavedMedianMs(
    () => files.map((f): unknown => parse(f.text)),
    () => loadRules(files),
  );
  return [
    { name: 'engine: raw yaml parse of the trio', value: rawParse, unit: 'ms' },
    { name: 'engine: load+merge+compile of the trio', value: pipeline, unit: 'ms' },
    { name: 'engine: load+merge+compile / raw yaml parse', value: pipeline / rawParse, unit: 'x', target: '<= 1.5x' },
  ];
}
