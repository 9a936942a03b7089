/**
 * Builds that run at the same time in one repository (two CI jobs, a watcher and a person) each
 * replace `out/oci` whole: they never fail on each other's swap, and leave no temp folders behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { run } from '../helpers/cli.js';

const ENV = 'version: 1.0.0\nlayers:\n  - rules/r.yaml\nartifact:\n  name: falco-rules-NAME\n';
const RULE = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = sh\n  output: "%proc.name"\n  priority: WARNING\n';

let repo: string;
beforeAll(() => {
  repo = writeTempRepo({
    'environments/prod/environment.yaml': ENV.replace('NAME', 'prod'),
    'environments/staging/environment.yaml': ENV.replace('NAME', 'staging'),
    'rules/r.yaml': RULE,
  });
});
afterAll(() => removeTempRepo(repo));

describe('concurrent writers of out/oci', () => {
  it('six builds at once all succeed and leave one whole layout', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, () => run(['build', '--out', 'out'], { cwd: repo, env: { HOME: repo } })));
    for (const r of runs) expect(r.stderr).not.toMatch(/ENOTEMPTY|ENOENT/);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(readdirSync(join(repo, 'out')).filter((n) => /^oci\.|\.tmp|\.old|\.lock/.test(n))).toEqual([]);
    const index = JSON.parse(readFileSync(join(repo, 'out', 'oci', 'index.json'), 'utf8')) as { manifests: unknown[] };
    expect(index.manifests).toHaveLength(2);
  });
});

describe('a writer that died', () => {
  it("its lock and leftover temp and old folders are cleared by the next build; a live writer's are kept", async () => {
    const root = writeTempRepo({
      'environments/prod/environment.yaml': ENV.replace('NAME', 'prod'),
      'rules/r.yaml': RULE,
    });
    try {
      const dead = spawnSync('true').pid!; // a process id no process has now
      mkdirSync(join(root, 'out'), { recursive: true });
      writeFileSync(join(root, 'out', 'oci.lock'), String(dead));
      mkdirSync(join(root, 'out', `oci.tmp-${dead}-0a1b2c`, 'blobs'), { recursive: true });
      mkdirSync(join(root, 'out', `oci.old-${dead}-3d4e5f`), { recursive: true });
      mkdirSync(join(root, 'out', `oci.tmp-${process.pid}-777777`)); // this process is alive: kept
      const r = await run(['build', '--out', 'out'], { cwd: root });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(readdirSync(join(root, 'out')).sort()).toEqual(['oci', `oci.tmp-${process.pid}-777777`, 'prod']);
      JSON.parse(readFileSync(join(root, 'out', 'oci', 'index.json'), 'utf8'));
    } finally {
      removeTempRepo(root);
    }
  });
});
