import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadRules } from '../../src/rules/index.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { captureIO, exampleRepoFiles, readTree, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) removeTempRepo(r);
});
function tempRepo(files: Record<string, string>, order?: string[]): string {
  const root = writeTempRepo(files, order);
  roots.push(root);
  return root;
}

describe('falco-gitops build', () => {
  it('is byte-identical across directories and file creation orders', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    const paths = Object.keys(files).sort();
    const a = tempRepo(files, paths);
    const b = tempRepo(files, [...paths].reverse());
    expect(await runCli(['build', '--out', 'out'], captureIO(a))).toBe(0);
    expect(await runCli(['build', '--out', 'out'], captureIO(b))).toBe(0);
    const treeA = readTree(join(a, 'out'));
    const treeB = readTree(join(b, 'out'));
    expect(
      Object.keys(treeA)
        .filter((p) => !p.startsWith('oci/'))
        .sort(),
    ).toEqual(['production/build-manifest.json', 'production/falco-rules-production.yaml', 'staging/build-manifest.json', 'staging/falco-rules-staging.yaml']);
    expect(Object.keys(treeA).filter((p) => p.startsWith('oci/blobs/'))).toHaveLength(6);
    const index = JSON.parse(treeA['oci/index.json']!.toString('utf8')) as { manifests: { annotations: Record<string, string> }[] };
    expect(index.manifests.map((m) => m.annotations['org.opencontainers.image.ref.name'])).toEqual(['1.7.0', '1.3.0']);
    expect(treeB).toEqual(treeA);
  });

  it('writes a rules file that loads on its own, and its manifest', async () => {
    const root = tempRepo(exampleRepoFiles(REPO_ROOT));
    const io = captureIO(root);
    expect(await runCli(['build', '--env', 'production', '--out', 'dist/rules', '--format', 'json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { environments: { environment: string; output: { file: string } }[] };
    expect(out.environments.map((e) => e.environment)).toEqual(['production']);
    const text = readFileSync(join(root, 'dist/rules/production/falco-rules-production.yaml'), 'utf8');
    const loaded = loadRules([{ path: 'falco-rules-production.yaml', text }]);
    expect(loaded.ok).toBe(true);
    expect(loaded.diagnostics).toEqual([]);
    expect(existsSync(join(root, 'dist/rules/staging'))).toBe(false);
  });

  it('writes nothing and exits 1 when an environment does not load', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/staging/overlays/broken.yaml'] = '- rule: Nowhere\n  priority: ERROR\n  override: {priority: replace}\n';
    const root = tempRepo(files);
    const io = captureIO(root);
    expect(await runCli(['build'], io)).toBe(1);
    expect(io.err()).toContain('environments/staging/overlays/broken.yaml:1:3: error LOAD_ERR_VALIDATE');
    expect(existsSync(join(root, 'out'))).toBe(false);
  });
});
