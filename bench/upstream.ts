/**
 * `upstream check` across every consecutive pair of falco_rules releases in the shared history,
 * with a 30-item overlay, as a ratio to the raw `yaml` parse of the same files in the same run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findShadowedDefaults } from '../src/analysis/shadow/index.js';
import { cachingReader, readRulesFile, type RulesFile } from '../src/rules/index.js';
import { readUpstreamFile, UPSTREAM_RULES } from './shared-inputs.js';
import { medianMs } from './timing.js';
import type { BenchResult } from './types.js';

interface ManifestEntry {
  ruleset: string;
  file: string;
}

export async function benchUpstream(): Promise<BenchResult[]> {
  const manifest = JSON.parse(readFileSync(join(UPSTREAM_RULES, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const files = manifest.filter((e) => e.ruleset === 'falco_rules').map((e) => readUpstreamFile(e.file));
  const overlay = overlayOf(readRulesFile(files[files.length - 1]));
  const ours = [readRulesFile({ path: 'environments/bench/overlay.yaml', text: overlay })];

  const parseAll = () => {
    for (const f of files) parse(f.text);
  };
  let findings = 0;
  const checkAll = () => {
    const read = cachingReader();
    const parsed = files.map(read);
    findings = 0;
    for (let i = 1; i < parsed.length; i++) findings += findShadowedDefaults({ base: [parsed[i - 1]], theirs: [parsed[i]], ours }).length;
  };
  const yamlMs = medianMs(parseAll, 5, 1);
  const checkMs = medianMs(checkAll, 5, 1);
  return [
    { name: `upstream check: ${files.length - 1} version pairs, 30-item overlay`, value: checkMs, unit: 'ms', note: `${findings} findings` },
    { name: 'upstream check: raw yaml parse of the same files', value: yamlMs, unit: 'ms' },
    { name: 'upstream check / raw yaml parse', value: checkMs / yamlMs, unit: 'x', target: '<= 2x' },
  ];
}

/** Ten replaced lists, ten replaced macros and ten rule toggles, named after the latest release's items. */
function overlayOf(latest: RulesFile): string {
  const out: string[] = [];
  const take = <K extends 'list' | 'macro' | 'rule'>(kind: K) => latest.items.filter((i) => i.kind === kind).slice(0, 10);
  for (const item of take('list'))
    if (item.kind === 'list')
      out.push(`- list: ${item.name}\n  items: [${[...item.items.slice(0, 3), 'bench-extra'].map((x) => JSON.stringify(x)).join(', ')}]`);
  for (const item of take('macro'))
    if (item.kind === 'macro') out.push(`- macro: ${item.name}\n  condition: ${JSON.stringify(`(${item.condition.trim()}) and not proc.name = bench`)}`);
  for (const item of take('rule'))
    if (item.kind === 'rule') out.push(`- rule: ${JSON.stringify(item.name)}\n  enabled: false\n  override:\n    enabled: replace`);
  return out.join('\n') + '\n';
}
