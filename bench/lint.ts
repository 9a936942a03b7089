import { parse } from 'yaml';
import { CHECKS, lintReport } from '../src/analysis/lint/index.js';
import { loadRules, readRulesFile } from '../src/rules/index.js';
import type { BenchResult } from './types.js';
import { medianMs } from './timing.js';
import { LATEST_TRIO, readUpstreamFile } from './shared-inputs.js';

/** Lint of the latest upstream trio (loaded once, outside the timing) against a raw `yaml` parse of the same files. */
export async function benchLint(): Promise<BenchResult[]> {
  const files = LATEST_TRIO.map(readUpstreamFile);
  const parsed = files.map((f) => readRulesFile(f));
  const compiled = loadRules(files, { read: (f) => parsed[files.indexOf(f)] });
  const environments = [{ files: parsed, compiled }];
  const rawParse = medianMs(() => files.map((f): unknown => parse(f.text)));
  const lint = medianMs(() => lintReport(environments, CHECKS, { toolVersion: 'bench' }));
  const findings = lintReport(environments, CHECKS, { toolVersion: 'bench' }).findings.length;
  return [
    { name: 'lint: raw yaml parse of the trio', value: rawParse, unit: 'ms' },
    { name: 'lint: all checks over the loaded trio', value: lint, unit: 'ms', note: `${findings} findings, ${CHECKS.length} checks` },
    { name: 'lint: lint / raw yaml parse', value: lint / rawParse, unit: 'x', target: '<= 0.5x' },
  ];
}
