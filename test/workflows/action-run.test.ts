/**
 * action.yml run as a runner would, from a temp copy of the action's checkout (only what git
 * tracks, so no node_modules and no build): each `run:` step with the inputs as its env.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { captureIO } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

interface ActionStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { steps: ActionStep[] };
}

const dir = mkdtempSync(join(tmpdir(), 'fg-action-'));
const actionPath = join(dir, 'action');
const workspace = join(dir, 'workspace');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path !== '' && existsSync(join(REPO_ROOT, path)));
  for (const path of tracked) {
    mkdirSync(dirname(join(actionPath, path)), { recursive: true });
    cpSync(join(REPO_ROOT, path), join(actionPath, path));
  }
  mkdirSync(workspace);
  const io = captureIO(workspace);
  expect(await runCli(['init'], io), io.err()).toBe(0);
});

/** `${{ inputs.x }}` with the given inputs (defaults for the rest); other expressions are not used in run steps. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? '');
}

/** Runs every `run:` step of action.yml whose `if:` holds, like the runner: bash, env, working directory, GITHUB_PATH. */
function runAction(given: Record<string, string>): { outputs: string[]; path: string[] } {
  const action = parse(readFileSync(join(actionPath, 'action.yml'), 'utf8')) as Action;
  const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...given };
  const runnerTemp = mkdtempSync(join(dir, 'runner-'));
  const githubPath = join(runnerTemp, 'path');
  writeFileSync(githubPath, '');
  const outputs: string[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) continue; // actions/setup-node: this machine's node stands in
    if (step.if && !evaluateIf(step.if, inputs)) continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, inputs)]));
    const cwd = join(workspace, expand(step['working-directory'] ?? '.', inputs));
    const r = spawnSync('bash', ['-e', '-c', expand(step.run!, inputs)], {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_ACTION_PATH: actionPath,
        RUNNER_TEMP: runnerTemp,
        GITHUB_PATH: githubPath,
        NO_COLOR: '1',
        ...env,
      },
    });
    outputs.push(r.stdout + r.stderr);
    expect(r.status, `${step.name}: ${r.stderr}`).toBe(0);
  }
  return { outputs, path: readFileSync(githubPath, 'utf8').split('\n').filter(Boolean) };
}

function evaluateIf(condition: string, inputs: Record<string, string>): boolean {
  const m = /^inputs\.([\w-]+) != '([^']*)'$/.exec(condition.trim());
  if (!m) throw new Error(`action.yml: an if: this test does not evaluate: ${condition}`);
  return inputs[m[1]!] !== m[2];
}

describe("action.yml's steps, from a copy of the action's checkout", () => {
  it('validate with several environments runs the committed bundle and reports each', () => {
    const { outputs } = runAction({ command: 'validate', environments: 'staging, production', args: '--format json' });
    const report = JSON.parse(outputs.at(-1)!) as { data: { environments: { environment: string; ok: boolean }[] } };
    expect(report.data.environments.map((e) => [e.environment, e.ok]).sort()).toEqual([
      ['production', true],
      ['staging', true],
    ]);
  });

  it('setup only puts falco-gitops on PATH, and that command runs', () => {
    const { outputs, path } = runAction({ command: 'setup' });
    expect(outputs).toHaveLength(1);
    expect(path).toHaveLength(1);
    const version = execFileSync(join(path[0]!, 'falco-gitops'), ['--version'], { cwd: workspace, encoding: 'utf8' });
    expect(version.trim()).toBe((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
