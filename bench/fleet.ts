/**
 * Fleet: one environment template of 500 clusters over the latest upstream trio, generated in a
 * temporary directory and validated and built from disk in one invocation (every file read and
 * parsed once, the trio merged once for all clusters), as a ratio to one raw `yaml` parse of the
 * rules files it reads, timed in the same run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fsRepositoryReader, type RepositoryReader } from '../src/config/index.js';
import { buildEnvironment, loadRepository } from '../src/environment/index.js';
import { createRenderCache } from '../src/rules/index.js';
import { LATEST_TRIO, readUpstreamFile } from './shared-inputs.js';
import { interleavedMedianMs } from './timing.js';
import type { BenchResult } from './types.js';

export const FLEET_CLUSTERS = 500;

export interface FleetFixture {
  root: string;
  /** Every rules file a validate + build of the whole template reads, repository-relative. */
  rulesFiles: string[];
  remove: () => void;
}

/**
 * A repository with the template `fleet`: the trio, one organisation overlay, and `clusters`
 * cluster files, each loading its own small file (an allowed host, a priority, every seventh one
 * enabling a rule), as a platform team writes them.
 */
export function writeFleetFixture(clusters: number, trio: readonly { path: string; text: string }[] = LATEST_TRIO.map(readUpstreamFile)): FleetFixture {
  const root = mkdtempSync(join(tmpdir(), 'fg-fleet-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const upstream = trio.map((file, i) => `rules/upstream/${i}-${file.path.split('/')[1]}.yaml`);
  trio.forEach((file, i) => write(upstream[i], file.text));
  write('rules/org.yaml', '- list: shell_binaries\n  items: [busybox]\n  override:\n    items: append\n');
  write('falco-gitops.yaml', 'defaults:\n  registries: [ghcr.io/acme, registry.eu.example/acme]\n');
  write('environments/fleet/environment.yaml', `version: 3.0.0\nlayers:\n${[...upstream, 'rules/org.yaml'].map((p) => `  - ${p}\n`).join('')}`);
  const clusterFiles: string[] = [];
  for (let n = 0; n < clusters; n++) {
    const name = `c${String(n).padStart(3, '0')}`;
    const own = `environments/fleet/clusters/${name}/tuning.yaml`;
    write(`environments/fleet/clusters/${name}.yaml`, `layers: [${own}]\n`);
    write(own, clusterOverlay(n));
    clusterFiles.push(own);
  }
  return { root, rulesFiles: [...upstream, 'rules/org.yaml', ...clusterFiles], remove: () => rmSync(root, { recursive: true, force: true }) };
}

function clusterOverlay(n: number): string {
  const enable = n % 7 === 0 ? '- rule: Terminal shell in container\n  enabled: true\n  override:\n    enabled: replace\n' : '';
  return `- list: known_drop_and_execute_containers
  items: [registry.example/agent-${n}]
  override:
    items: append
- rule: Read sensitive file untrusted
  priority: ${n % 2 === 0 ? 'WARNING' : 'ERROR'}
  override:
    priority: replace
${enable}`;
}

/** A reader over the fixture that counts how often each file is read. */
export function countingReader(root: string): RepositoryReader & { reads: Map<string, number> } {
  const inner = fsRepositoryReader(root);
  const reads = new Map<string, number>();
  return {
    reads,
    readText: (path) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return inner.readText(path);
    },
    listFiles: (dir) => inner.listFiles(dir),
    ...(inner.refusal ? { refusal: (path: string) => inner.refusal!(path) } : {}),
  };
}

/** Validate + build of every cluster, as `build` does it; returns how many were built and how many rules files were parsed. */
export function validateAndBuildFleet(reader: RepositoryReader): { built: number; parsed: number } {
  const load = loadRepository(reader);
  if (!load.ok) throw new Error(`fleet fixture does not load: ${load.message}`);
  const renderCache = createRenderCache();
  let built = 0;
  for (const env of load.environments) {
    if (!env.ruleset?.ok) throw new Error(`cluster ${env.environment.name} does not load`);
    buildEnvironment({ ...env, ruleset: env.ruleset }, [], { renderCache });
    built += 1;
  }
  return { built, parsed: load.cache.parseCount() };
}

export async function benchFleet(): Promise<BenchResult[]> {
  const fixture = writeFleetFixture(FLEET_CLUSTERS);
  try {
    const texts = fixture.rulesFiles.map((p) => readFileSync(join(fixture.root, p), 'utf8'));
    let result = { built: 0, parsed: 0 };
    // alternated, so the load of a shared machine weighs on both sides of the ratio alike
    const [ours, baseline] = interleavedMedianMs(
      () => (result = validateAndBuildFleet(fsRepositoryReader(fixture.root))),
      () => texts.map((t) => parseAllDocuments(t)),
      3,
      1,
    );
    return [
      {
        name: `fleet: validate+build ${FLEET_CLUSTERS} clusters of one template`,
        value: ours,
        unit: 'ms',
        note: `${result.built} built, ${result.parsed} rules files parsed`,
      },
      { name: `fleet: one raw yaml parse of the ${fixture.rulesFiles.length} rules files`, value: baseline, unit: 'ms' },
      { name: `fleet: ${FLEET_CLUSTERS} clusters validate+build / one raw yaml parse`, value: ours / baseline, unit: 'x', target: '<= 10' },
    ];
  } finally {
    fixture.remove();
  }
}
