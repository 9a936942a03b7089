/**
 * The package as users get it: `npm pack` (which runs prepack), installed into a temp prefix with
 * runtime dependencies only, run from a directory outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

describe('the packed package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-package-'));
  const prefix = join(dir, 'prefix');
  const elsewhere = join(dir, 'elsewhere');
  const bin = join(prefix, 'bin', 'falco-gitops');
  const cli = (...args: string[]) => execFileSync(bin, args, { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  // prepack stamps source.json into the checkout: leave the working tree as it was
  const stamp = join(REPO_ROOT, 'source.json');
  const stampedBefore = existsSync(stamp);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (!stampedBefore) rmSync(stamp, { force: true });
  });

  beforeAll(() => {
    mkdirSync(elsewhere);
    const packed = npm(['pack', '--pack-destination', dir], REPO_ROOT).trim().split('\n').at(-1)!;
    npm(['install', '--global', '--prefix', prefix, '--omit=dev', join(dir, packed)], dir);
  }, 600_000);

  it('installs the command with runtime dependencies only', () => {
    expect(existsSync(bin)).toBe(true);
    const installed = readdirSync(join(prefix, 'lib', 'node_modules', 'falco-gitops', 'node_modules'));
    expect(installed).toContain('yaml');
    expect(installed).not.toContain('vitest');
    expect(installed).not.toContain('typescript');
  });

  it('prints its version from any directory', () => {
    expect(cli('--version').trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('compiles a rules file outside the repository', () => {
    writeFileSync(
      join(elsewhere, 'rules.yaml'),
      '- rule: Shell read\n  desc: d\n  condition: evt.type = open and proc.name = bash\n  output: o\n  priority: INFO\n',
    );
    const json = JSON.parse(cli('compile', 'rules.yaml', '--format', 'json')) as { ok: boolean; rules: { name: string }[] };
    expect(json.ok).toBe(true);
    expect(json.rules.map((r) => r.name)).toEqual(['Shell read']);
  });

  it('scaffolds a repository from the templates and schemas it ships, which then validates', () => {
    const repo = join(elsewhere, 'repo');
    cli('init', repo);
    expect(existsSync(join(repo, 'schemas', 'environment.schema.json'))).toBe(true);
    expect(execFileSync(bin, ['validate'], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })).toMatch(/staging/);
  });
});
