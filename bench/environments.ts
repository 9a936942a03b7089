/**
 * Environments: 50 synthetic environments, each a different small overlay over the latest upstream
 * trio, validated and built in one invocation (parse once, merge many), as a ratio to one raw
 * `yaml` parse of the trio timed in the same run, in alternation, each after a full collection.
 * Measured as `build` runs: with its parse cache warm (the default, from the second run on) and
 * with `--no-cache` (every file parsed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cachedReader } from '../src/files/parse-cache.js';
import { buildEnvironment, loadRepository } from '../src/environment/index.js';
import type { RepositoryReader } from '../src/config/index.js';
import { createRenderCache, type RulesFile, type SourceFile } from '../src/rules/index.js';
import { LATEST_TRIO, readUpstreamFile } from './shared-inputs.js';
import { interleavedMedianMs } from './timing.js';
import type { BenchResult } from './types.js';

const ENVIRONMENTS = 50;

export async function benchEnvironments(): Promise<BenchResult[]> {
  const trioTexts = LATEST_TRIO.map((f) => readUpstreamFile(f).text);
  const rawParse = () => trioTexts.map((t) => parseAllDocuments(t));
  const cacheDir = mkdtempSync(join(tmpdir(), 'falco-gitops-bench-'));
  try {
    const parse = cachedReader({ FALCO_GITOPS_CACHE_DIR: cacheDir }, 'bench');
    const real = validateAndBuild(environmentOverlay, parse);
    const [baseline, ours] = interleavedMedianMs(rawParse, real.run, 9, 2);
    const uncached = validateAndBuild(environmentOverlay);
    const [uncachedBaseline, uncachedMs] = interleavedMedianMs(rawParse, uncached.run, 9, 2);
    // the same work when no overlay changes a condition: what is left is per-environment bookkeeping
    const floor = validateAndBuild(priorityOnlyOverlay, parse);
    const [floorBaseline, floorMs] = interleavedMedianMs(rawParse, floor.run, 9, 2);
    return [
      {
        name: `environments: validate+build ${ENVIRONMENTS} environments over the trio`,
        value: ours,
        unit: 'ms',
        note: `${real.built()} built, ${real.parsed()} rules files read, parse cache warm`,
      },
      { name: 'environments: one raw yaml parse of the trio', value: baseline, unit: 'ms' },
      {
        name: `environments: ${ENVIRONMENTS} envs validate+build / one raw yaml parse`,
        value: ours / baseline,
        unit: 'x',
        target: '<= 3',
        note: 'parse cache warm, as `build` runs by default',
      },
      { name: `environments: same, --no-cache / raw parse`, value: uncachedMs / uncachedBaseline, unit: 'x', note: 'every rules file parsed' },
      {
        name: `environments: same, overlays changing no condition / raw parse`,
        value: floorMs / floorBaseline,
        unit: 'x',
        note: 'each overlay only sets a priority; parse cache warm',
      },
    ];
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Validate and build every environment of a synthetic repository, in one load, as `build` does. */
function validateAndBuild(
  overlayOf: (n: number) => string,
  parse?: (source: SourceFile) => RulesFile,
): { run: () => void; built: () => number; parsed: () => number } {
  const files = syntheticRepository(overlayOf);
  // listings made once, as a file system gives them, so the timing is the tool's work alone
  const listings = new Map<string, string[]>();
  for (const path of files.keys()) {
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) {
      const dir = path.slice(0, at);
      if (!listings.has(dir)) listings.set(dir, []);
      listings.get(dir)!.push(path);
    }
  }
  const reader: RepositoryReader = {
    readText: (path) => files.get(path),
    listFiles: (dir) => listings.get(dir) ?? [],
  };
  let built = 0;
  let parsed = 0;
  const run = () => {
    const load = loadRepository(reader, [], { parse });
    if (!load.ok) throw new Error(`synthetic repository does not load: ${load.message}`);
    parsed = load.cache.parseCount();
    built = 0;
    const renderCache = createRenderCache();
    for (const env of load.environments) {
      if (!env.ruleset?.ok) throw new Error(`environment ${env.environment.name} does not load`);
      buildEnvironment({ ...env, ruleset: env.ruleset }, [], { renderCache });
      built += 1;
    }
  };
  return { run, built: () => built, parsed: () => parsed };
}

/** The trio under rules/upstream/, and environments env-00..env-49 each with its own small overlay. */
function syntheticRepository(overlayOf: (n: number) => string): Map<string, string> {
  const files = new Map<string, string>();
  const upstream = LATEST_TRIO.map((file, i) => {
    const path = `rules/upstream/${i}-${file.split('/')[0]}.yaml`;
    files.set(path, readUpstreamFile(file).text);
    return path;
  });
  for (let n = 0; n < ENVIRONMENTS; n++) {
    const name = `env-${String(n).padStart(2, '0')}`;
    files.set(
      `environments/${name}/environment.yaml`,
      `version: 1.0.${n}\nlayers:\n${upstream.map((p) => `  - ${p}\n`).join('')}  - environments/${name}/overlay.yaml\n`,
    );
    files.set(`environments/${name}/overlay.yaml`, overlayOf(n));
  }
  return files;
}

/** Environment n's overlay: a list append, a macro replaced, a priority and an exception of its own. */
export function environmentOverlay(n: number): string {
  return `- list: shell_binaries
  items: [shell-${n}]
  override: {items: append}
- macro: user_known_read_sensitive_files_activities
  condition: (proc.name = auditor-${n})
  override: {condition: replace}
- rule: Terminal shell in container
  priority: ${n % 2 === 0 ? 'WARNING' : 'ERROR'}
  override: {priority: replace}
- rule: Read sensitive file untrusted
  exceptions:
    - name: env_${n}_readers
      fields: [proc.name, fd.name]
      comps: [=, startswith]
      values: [[backup-${n}, /etc/]]
  override: {exceptions: append}
`;
}

function priorityOnlyOverlay(n: number): string {
  return `- rule: Terminal shell in container
  priority: ${n % 2 === 0 ? 'WARNING' : 'ERROR'}
  override: {priority: replace}
`;
}
