/**
 * A fork's pull request controls rule names, list items, descriptions and conditions. Under GitHub
 * Actions none of it may reach the log as a workflow command: the runner acts on a line that starts
 * with `::` (after blanks) and on `##[` anywhere in a line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';

const ENV = 'version: 1.0.0\nlayers:\n  - rules/r.yaml\nartifact:\n  name: falco-rules-prod\n';
const PLAIN = '- rule: Plain\n  desc: plain\n  condition: evt.type = execve and proc.name = sh\n  output: "%proc.name"\n  priority: WARNING\n';
const HOSTILE = [
  '- list: "evil\\n::add-mask::hunter2"',
  '  items: ["::add-mask::hunter2", "x\\n::stop-commands::abc", "  ::set-env name=A::b"]',
  '- macro: "m\\n::error file=README.md,line=1::forged macro"',
  '  condition: "proc.name in (\\"evil\\r::add-mask::hunter2\\")"',
  '- rule: "Plain\\n::warning file=README.md,line=1::forged"',
  '  desc: "d\\n::error::forged desc"',
  '  condition: "evt.type = execve and proc.name = \\"sh\\n::stop-commands::abc\\" and proc.cmdline != \\"##[error]legacy\\""',
  '  output: "%proc.name"',
  '  priority: WARNING',
  '- rule: "Second ##[warning]legacy"',
  '  desc: d',
  '  condition: "evt.type = execve and proc.name = \\"\\r\\n\\t::notice::x\\""',
  '  output: "%proc.name"',
  '  priority: WARNING',
  '',
].join('\n');

/** The lines the runner would act on: `::` first after blanks (CR, LF and CRLF all end a line), or `##[` anywhere. */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
}

/** The shape of the tool's own annotations: one line, level, escaped properties, escaped message. */
const OWN_ANNOTATION = /^::(error|warning|notice)( file=[^,:\s]+,line=\d+,col=\d+(,title=[A-Za-z0-9_-]+)?)?::[^\r\n]*$/;

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

function hostileRepo(): TempRepo {
  const repo = createTempRepo();
  repos.push(repo);
  repo.commit({ 'environments/prod/environment.yaml': ENV, 'rules/r.yaml': PLAIN }, 'base');
  repo.commit({ 'rules/r.yaml': HOSTILE }, 'hostile pull request');
  return repo;
}

describe('workflow-command injection under GitHub Actions', () => {
  it('ci prints the hostile names, items and conditions, but only its own annotations act as commands', async () => {
    const repo = hostileRepo();
    const r = await run(['ci', '--base', 'HEAD~1'], { cwd: repo.dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.stderr).toBe('');
    // the content is there, for people to read…
    expect(r.stdout).toContain('add-mask::hunter2');
    expect(r.stdout).toContain('stop-commands::abc');
    // …and every line the runner would act on is one of ours, whole
    const commands = commandLines(r.stdout + r.stderr);
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(OWN_ANNOTATION);
    expect(commands.some((l) => l.startsWith('::stop-commands') || l.startsWith('::add-mask'))).toBe(false);
  });

  it('every command is guarded, not only ci: validate, lint and explain print the same content defused', async () => {
    const repo = hostileRepo();
    for (const argv of [
      ['validate'],
      ['lint'],
      ['explain', 'Plain\n::warning file=README.md,line=1::forged', '--env', 'prod'],
      ['explain', 'Second ##[warning]legacy', '--env', 'prod', '--format', 'text'],
    ]) {
      const r = await run(argv, { cwd: repo.dir, env: { GITHUB_ACTIONS: 'true' } });
      if (argv[0] !== 'validate') expect(r.stdout + r.stderr, argv.join(' ')).toMatch(/hunter2|forged|stop-commands|legacy/);
      expect(commandLines(r.stdout + r.stderr), argv.join(' ')).toEqual([]);
    }
  });

  it('outside Actions the output is left exactly as it is', async () => {
    const repo = hostileRepo();
    const r = await run(['lint'], { cwd: repo.dir, env: {} });
    expect(commandLines(r.stdout).length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain('\u200b');
  });
});
