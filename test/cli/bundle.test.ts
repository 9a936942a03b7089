import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

describe('the committed bundle (bundle/falco-gitops.mjs, run by the installed command and the GitHub Action)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what `npm run bundle` builds from the sources now (run it after changing src/)', () => {
    const fresh = join(dir, 'falco-gitops.mjs');
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/bundle.mjs'), '--out', fresh]);
    const committed = readFileSync(join(REPO_ROOT, 'bundle/falco-gitops.mjs'));
    expect(committed.equals(readFileSync(fresh)), 'bundle/falco-gitops.mjs is stale: run `npm run bundle`').toBe(true);
  });

  it('runs on its own, with no node_modules beside it', () => {
    const copy = join(dir, 'copy');
    for (const path of ['bin', 'bundle', 'schemas', 'templates', 'package.json']) cpSync(join(REPO_ROOT, path), join(copy, path), { recursive: true });
    const cli = (cwd: string, ...args: string[]) => execFileSync(process.execPath, [join(copy, 'bin/falco-gitops.mjs'), ...args], { cwd, encoding: 'utf8' });
    expect(cli(dir, '--version').trim()).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    cli(dir, 'init', 'repo', '--action', `falco-gitops/falco-gitops@${'0'.repeat(40)}`);
    const report = JSON.parse(cli(join(dir, 'repo'), 'validate', '--format', 'json')) as { data: { environments: { environment: string; ok: boolean }[] } };
    expect(report.data.environments.map((e) => [e.environment, e.ok])).toEqual([
      ['production', true],
      ['staging', true],
    ]);
  });
});
