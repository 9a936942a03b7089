import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { captureIO, exampleRepoFiles, removeTempRepo, writeTempRepo } from '../build/temp-repo.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) removeTempRepo(r);
});
function tempRepo(files: Record<string, string>): string {
  const root = writeTempRepo(files);
  roots.push(root);
  return root;
}

describe('falco-gitops validate', () => {
  it('validates both example environments', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['validate'], io)).toBe(0);
    expect(io.out()).toMatch(/^production\s+ok\s+10\s+10\s+0\s+0$/m);
    expect(io.out()).toMatch(/^staging\s+ok\s+9\s+7\s+0\s+0$/m);
    expect(io.out()).toContain('validate: passed (0 errors, 0 warnings)');
  });

  it('--env selects environments; --format json is the report model', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'staging', '--format', 'json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { schemaVersion: number; data: { environments: { environment: string; ok: boolean }[] } };
    expect(report.schemaVersion).toBe(1);
    expect(report.data.environments.map((e) => [e.environment, e.ok])).toEqual([['staging', true]]);
  });

  it('reports Falco errors and warnings with locations, once per file, and exits 1', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['rules/zz_broken.yaml'] = '- macro: unused_here\n  condition: proc.name = x\n- rule: Bad\n  desc: d\n  condition: proc.nme = x\n  output: o\n  priority: ERROR\n';
    const io = captureIO(tempRepo(files));
    expect(await runCli(['validate'], io)).toBe(1);
    const errors = io.out().split('\n').filter((l) => l.startsWith('rules/zz_broken.yaml'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^rules\/zz_broken\.yaml:5:\d+ {2}error {2}.*proc\.nme.* {2}\[LOAD_ERR_COMPILE_CONDITION\]$/);
    expect(io.out()).toMatch(/^production\s+FAILED/m);
  });

  it('an unknown environment is one error, exit 2', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'prod'], io)).toBe(2);
    expect(io.err()).toBe("error: unknown environment 'prod' (no environments/prod/environment.yaml; known: production, staging)\n");
  });

  it('a layer glob that matches nothing and a missing file are errors with their location, exit 2', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/staging/environment.yaml'] = files['environments/staging/environment.yaml']!
      .replace('environments/staging/overlays/*.yaml', 'environments/staging/overlay/*.yaml')
      .replace('rules/upstream/demo_rules.yaml', 'rules/upstream/demo.yaml');
    const io = captureIO(tempRepo(files));
    expect(await runCli(['validate'], io)).toBe(2);
    expect(io.err().split('\n')).toEqual([
      "environments/staging/environment.yaml:6:5: error CONFIG_ERROR: layer 'rules/upstream/demo.yaml' names a file that does not exist (layer 'rules/upstream/demo.yaml')",
      "environments/staging/environment.yaml:8:5: error CONFIG_ERROR: layer glob 'environments/staging/overlay/*.yaml' matches no rules file (layer 'environments/staging/overlay/*.yaml')",
      'error: an environment names layers that do not resolve',
      '',
    ]);
  });

  it('a config key typo is one error naming file, line and key, exit 2', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/production/environment.yaml'] = files['environments/production/environment.yaml']!.replace('policy:', 'polcy:');
    const io = captureIO(tempRepo(files));
    expect(await runCli(['validate'], io)).toBe(2);
    expect(io.err()).toBe(
      "environments/production/environment.yaml:11:1: error CONFIG_ERROR: unknown key 'polcy' (did you mean 'policy'?) (config 'polcy')\nerror: the repository configuration is invalid\n",
    );
  });

  it('--help shows examples', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['validate', '--help'], io)).toBe(0);
    expect(io.out()).toContain('falco-gitops validate --env production');
  });
});
