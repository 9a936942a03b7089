import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { captureIO, exampleRepoFiles, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

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
    expect(io.out()).toMatch(/^production\s+falco 0\.44\.1 \(container\)\s+ok\s+10\s+10\s+0\s+0$/m);
    expect(io.out()).toMatch(/^staging\s+falco 0\.44\.1 \(container\)\s+ok\s+9\s+7\s+0\s+0$/m);
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
    files['rules/zz_broken.yaml'] =
      '- macro: unused_here\n  condition: proc.name = x\n- rule: Bad\n  desc: d\n  condition: proc.nme = x\n  output: o\n  priority: ERROR\n';
    const io = captureIO(tempRepo(files));
    expect(await runCli(['validate'], io)).toBe(1);
    const errors = io
      .out()
      .split('\n')
      .filter((l) => l.startsWith('rules/zz_broken.yaml'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^rules\/zz_broken\.yaml:5:\d+ {2}error {2}.*proc\.nme.* {2}\[LOAD_ERR_COMPILE_CONDITION\]$/);
    expect(io.out()).toMatch(/^production\s+falco 0\.44\.1 \(container\)\s+FAILED/m);
  });

  it('an unknown environment is one error, exit 2', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'prod'], io)).toBe(2);
    expect(io.err()).toBe("error: unknown environment 'prod' (no environments/prod/environment.yaml; known: production, staging)\n");
  });

  it('an environment with two Falco targets fails for the one that lacks a field an overlay uses, naming target, field and file:line', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    // proc.aargs arrived with libs 0.21 (Falco 0.41.0): sinsp_filtercheck_thread.cpp has no such entry in libs 0.20.0.
    files['environments/staging/environment.yaml'] += 'falco:\n  - version: 0.44.1\n  - version: 0.40.0\n';
    files['environments/staging/overlays/aargs.yaml'] =
      '- rule: Shell under a web server ancestor\n  desc: d\n  condition: evt.type = execve and proc.aargs contains nginx\n  output: o\n  priority: NOTICE\n';
    const root = tempRepo(files);
    const io = captureIO(root);
    expect(await runCli(['validate', '--env', 'staging'], io)).toBe(1);
    const lines = io.out().split('\n');
    const error = lines.filter((l) => l.startsWith('environments/staging/overlays/aargs.yaml'));
    expect(error).toHaveLength(1);
    expect(error[0]).toMatch(
      /^environments\/staging\/overlays\/aargs\.yaml:3:\d+ {2}error {2}falco 0\.40\.0 \(no plugins\): .*nonexistent field proc\.aargs.*\[LOAD_ERR_COMPILE_CONDITION\]$/,
    );
    expect(io.out()).toMatch(/^staging\s+falco 0\.44\.1 \(container\)\s+ok\s/m);
    expect(io.out()).toMatch(/^staging\s+falco 0\.40\.0 \(no plugins\)\s+FAILED\s/m);

    const json = captureIO(root);
    expect(await runCli(['validate', '--env', 'staging', '--format', 'json'], json)).toBe(1);
    const report = JSON.parse(json.out()) as {
      diagnostics: { target?: string; code: string; location: { file: string; line: number } }[];
      data: { environments: { target: string; ok: boolean }[] };
    };
    expect(report.data.environments.map((e) => [e.target, e.ok])).toEqual([
      ['falco 0.44.1 (container)', true],
      ['falco 0.40.0 (no plugins)', false],
    ]);
    const errors = report.diagnostics.filter((d) => d.code === 'LOAD_ERR_COMPILE_CONDITION');
    expect(errors.map((d) => [d.target, d.location.file, d.location.line])).toEqual([
      ['falco 0.40.0 (no plugins)', 'environments/staging/overlays/aargs.yaml', 3],
    ]);
  });

  it("--falco-version replaces the environments' targets; an unsupported version is a usage error", async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['validate', '--env', 'staging', '--falco-version', 'main'], io)).toBe(0);
    expect(io.out()).toMatch(/^staging\s+falco main \(container\)\s+ok\s/m);
    const bad = captureIO(REPO_ROOT);
    expect(await runCli(['validate', '--falco-version', '0.36.0'], bad)).toBe(2);
    expect(bad.err()).toContain('unsupported Falco version 0.36.0');
  });

  it('a falco: block naming an unsupported version is a config error at its line', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/staging/environment.yaml'] += 'falco:\n  - version: 0.44.1\n  - version: 0.30.0\n';
    const io = captureIO(tempRepo(files));
    expect(await runCli(['validate'], io)).toBe(2);
    expect(io.err()).toMatch(/environments\/staging\/environment\.yaml:\d+:\d+: error CONFIG_ERROR: unsupported Falco version 0\.30\.0/);
  });

  it('--falco-binary runs `COMMAND --validate FILE` on each rendered file per target and fails on a disagreement', async () => {
    const root = tempRepo(exampleRepoFiles(REPO_ROOT));
    // A stand-in for Falco: accepts a rules file unless it mentions proc.aargs, like Falco 0.40.0 would.
    const falco = join(root, 'fake-falco');
    writeFileSync(
      falco,
      '#!/bin/sh\n[ "$1" = --validate ] && [ -s "$2" ] || exit 2\nif grep -q proc.aargs "$2"; then echo "Error: filter_check called with nonexistent field proc.aargs"; exit 1; fi\necho "$2: Ok"\n',
      { mode: 0o755 },
    );
    const agree = captureIO(root);
    expect(await runCli(['validate', '--env', 'staging', '--falco-binary', falco, '--format', 'json'], agree)).toBe(0);
    const data = (JSON.parse(agree.out()) as { data: { falcoBinary: { environment: string; ours: boolean; falco: boolean; agree: boolean }[] } }).data
      .falcoBinary;
    expect(data.map((c) => [c.environment, c.ours, c.falco, c.agree])).toEqual([['staging', true, true, true]]);

    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/staging/overlays/aargs.yaml'] =
      '- rule: Aargs\n  desc: d\n  condition: evt.type = execve and proc.aargs contains nginx\n  output: o\n  priority: NOTICE\n';
    const disagreeing = tempRepo(files);
    writeFileSync(join(disagreeing, 'fake-falco'), readFileSync(falco));
    chmodSync(join(disagreeing, 'fake-falco'), 0o755);
    const io = captureIO(disagreeing);
    expect(await runCli(['validate', '--env', 'staging', '--falco-binary', './fake-falco'], io)).toBe(1);
    expect(io.out()).toMatch(
      /^staging\s+falco 0\.44\.1 \(container\)\s+loads\s+refused\s+DISAGREE: Error: filter_check called with nonexistent field proc\.aargs$/m,
    );
  });

  it('a layer glob that matches nothing and a missing file are errors with their location, exit 2', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/staging/environment.yaml'] = files['environments/staging/environment.yaml']!.replace(
      'environments/staging/overlays/*.yaml',
      'environments/staging/overlay/*.yaml',
    ).replace('rules/upstream/demo_rules.yaml', 'rules/upstream/demo.yaml');
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
