/**
 * action.yml passes the `environments` input to the CLI. Names are split on commas and blanks, never
 * expanded as globs: `*` must reach the CLI as `*`, not as the files of the working directory.
 * The action's own step script runs under bash against the real CLI, bundled from the sources.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

const ENV = 'version: 1.0.0\nlayers:\n  - rules/r.yaml\nartifact:\n  name: falco-rules-ENV\n';
const RULE = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = sh\n  output: "%proc.name"\n  priority: WARNING\n';

/** The step that runs the CLI, as action.yml has it. */
function runStep(): string {
  const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as { runs: { steps: { id?: string; run?: string }[] } };
  const step = action.runs.steps.find((s) => s.id === 'run');
  if (step?.run === undefined) throw new Error('action.yml has no step with id "run"');
  return step.run;
}

let actionPath: string;
let repo: string;
beforeAll(async () => {
  // what GITHUB_ACTION_PATH holds: the launcher, the bundle (built from the sources here) and schemas
  actionPath = mkdtempSync(join(tmpdir(), 'fg-action-'));
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/bundle.mjs'), '--out', join(actionPath, 'bundle/falco-gitops.mjs')]);
  symlinkSync(join(REPO_ROOT, 'bin'), join(actionPath, 'bin'));
  symlinkSync(join(REPO_ROOT, 'package.json'), join(actionPath, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(actionPath, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'schemas'), join(actionPath, 'schemas'));
  repo = writeTempRepo({
    'environments/prod/environment.yaml': ENV.replace('ENV', 'prod'),
    'environments/staging/environment.yaml': ENV.replace('ENV', 'staging'),
    'rules/r.yaml': RULE,
  });
  // files a glob in the input would otherwise expand to
  mkdirSync(join(repo, 'prod1'));
  writeFileSync(join(repo, 'prodx'), '');
});
afterAll(() => {
  removeTempRepo(actionPath);
  removeTempRepo(repo);
});

function runAction(environments: string, command = 'validate'): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-e', '-c', runStep()], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: repo,
      GITHUB_ACTION_PATH: actionPath,
      FG_COMMAND: command,
      FG_ENVIRONMENTS: environments,
      FG_BASE: '',
      FG_REGISTRY: '',
      FG_ARGS: '--format json',
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('action.yml environments input', () => {
  it('passes glob characters through as names, never as the files they would match', () => {
    for (const input of ['*', 'prod?', 'prod*', '[p]rod']) {
      const r = runAction(input);
      expect(r.status, input).toBe(2);
      expect(r.stderr, input).toContain(`unknown environment '${input}'`);
      expect(r.stderr, input).not.toMatch(/unknown environment '(prod1|prodx|environments|rules)'/);
    }
  });

  it('splits names on commas, blanks and newlines', () => {
    const r = runAction('prod, staging\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const environments = (JSON.parse(r.stdout) as { tables: { rows: string[][] }[] }).tables[0]!.rows.map((row) => row[0]);
    expect(environments).toEqual(['prod', 'staging']);
  });

  it('an empty input means every environment', () => {
    const r = runAction('');
    expect(r.status).toBe(0);
  });

  it('the step script is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', '-c', runStep()])).not.toThrow();
  });
});
