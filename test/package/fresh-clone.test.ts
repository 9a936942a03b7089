/**
 * A fresh clone with nothing beside it (none of the fixtures test/helpers/shared.ts looks for, no network
 * for the fixture pull): the unit suite passes there and names the fixture tests it skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

// The inner run must not clone again (the unit project leaves test/package out; this is the guard).
const INNER = 'FALCO_GITOPS_FRESH_CLONE_RUN';

describe.skipIf(process.env[INNER])('a fresh clone with no fixtures beside it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-clone-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the unit suite, naming the fixtures it lacks and the files whose tests it skipped', () => {
    const clone = join(dir, 'falco-gitops');
    expect(spawnSync('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone]).status).toBe(0);
    // The same dependencies `npm ci` would install, without the network.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const env: NodeJS.ProcessEnv = { ...process.env, [INNER]: '1', FALCO_GITOPS_NO_PULL: '1', XDG_CACHE_HOME: join(dir, 'cache'), NO_COLOR: '1', CI: '1' };
    delete env.FALCO_GITOPS_UPSTREAM_RULES;
    delete env.FALCO_GITOPS_SHARED;
    const run = spawnSync(process.execPath, [join(clone, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit'], {
      cwd: clone,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const out = run.stdout + run.stderr;
    expect(run.status, out.slice(-4000)).toBe(0);
    expect(out).toMatch(/^fixture missing: upstream rulesets: set FALCO_GITOPS_UPSTREAM_RULES/m);
    expect(out).toMatch(/^fixture missing: Falco golden outputs/m);
    expect(out).toMatch(/^skipped tests in: .*test\/cli\/compile\.test\.ts/m);
    expect(out).toMatch(/^tests: \d+ passed, 0 failed, \d+ skipped$/m);
  }, 900_000);
});
