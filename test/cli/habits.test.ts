import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllCommands } from '../../src/cli/commands.js';
import { createProgram } from '../../src/cli/main.js';
import { run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-habits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command path, e.g. ['upstream', 'pull']. */
async function commandPaths(): Promise<string[][]> {
  const program = createProgram(
    { cwd: dir, env: {}, stdout: () => {}, stderr: () => {}, readStdin: async () => '', isTTY: false },
    () => {},
    await loadAllCommands(),
  );
  const paths: string[][] = [];
  const walk = (command: typeof program, path: string[]) => {
    for (const sub of command.commands) {
      paths.push([...path, sub.name()]);
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return paths;
}

describe('help', () => {
  it('help <command> <subcommand> prints what <command> <subcommand> --help prints', async () => {
    const viaHelp = await run(['help', 'upstream', 'pull'], { cwd: dir });
    const viaFlag = await run(['upstream', 'pull', '--help'], { cwd: dir });
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^Usage: falco-gitops upstream pull /);
  });

  it("every command's help ends with its exit codes", async () => {
    const paths = await commandPaths();
    expect(paths.length).toBeGreaterThan(18);
    for (const path of paths) {
      const r = await run([...path, '--help'], { cwd: dir });
      const parent = paths.some((p) => p.length > path.length && p.slice(0, path.length).join(' ') === path.join(' '));
      if (parent) continue; // a command with subcommands lists them; each subcommand says its codes
      expect(r.stdout.trimEnd().split('\n').at(-1), path.join(' ')).toMatch(/^Exit codes: 0 /);
    }
  });

  it('an unknown --format is refused by the option itself, naming the choices, exit 2', async () => {
    const r = await run(['validate', '--format', 'yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, json");
  });
});

describe('completion', () => {
  it('bash completes subcommands and flags from the command tree', async () => {
    const script = (await run(['completion', 'bash'], { cwd: dir })).stdout;
    writeFileSync(join(dir, 'c.bash'), script);
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        ['-c', `source c.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _falco_gitops; echo "\${COMPREPLY[@]}"`],
        { cwd: dir, encoding: 'utf8' },
      ).trim();
    expect(complete('falco-gitops', 'upstream', 'p').split(' ')).toEqual(['pull']);
    expect(complete('falco-gitops', 'diff', '--e').split(' ')).toEqual(['--env']);
    expect(complete('falco-gitops', 'comp').split(' ')).toEqual(['compile', 'completion']);
  });

  it('zsh and fish scripts are valid for their shells where installed; another shell is a usage error', async () => {
    for (const shell of ['zsh', 'fish'] as const) {
      const r = await run(['completion', shell], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('falco-gitops');
      const check = spawnSync(shell, ['-n'], { input: r.stdout });
      if (!check.error) expect(check.status, `${shell}: ${String(check.stderr)}`).toBe(0);
    }
    expect((await run(['completion', 'tcsh'], { cwd: dir })).code).toBe(2);
  });
});

describe('--env is repeatable', () => {
  it('diff --env a --env b reports both environments', async () => {
    const repo = join(dir, 'repo');
    expect((await run(['init', repo], { cwd: dir })).code).toBe(0);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    const r = await run(['diff', '--base', 'HEAD', '--env', 'staging', '--env', 'production', '--format', 'json'], { cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { data: { environments: { environment: string }[] } };
    expect(report.data.environments.map((e) => e.environment)).toEqual(['production', 'staging']);
    const unknown = await run(['diff', '--base', 'HEAD', '--env', 'staging', '--env', 'nope'], { cwd: repo });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("environment 'nope' exists at neither revision");
  });
});
