/**
 * Builds that run at the same time in one repository (two CI jobs, a watcher and a person) each
 * replace `out/oci` whole: they never fail on each other's swap, and leave no temp folders behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempRepo, writeTempRepo } from '../build/temp-repo.js';
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
