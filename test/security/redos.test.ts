/**
 * Alert fields and test events are attacker-shaped strings. `regex` runs on RE2 semantics and
 * `glob` on a matcher that keeps one restart point, so neither can be driven into exponential
 * backtracking: `(a+)+$` against forty `a`s and a `!` ran for minutes on a backtracking engine.
 * A backtracking engine would hang these runs for minutes: each test has a timeout far above any
 * loaded machine's time for the work, and asserts no elapsed time itself (speed is `npm run bench`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type CliRun } from '../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';

/** Far above the seconds the work takes under load, far below the minutes a backtracking engine takes. */
const HANG_MS = 30_000;
const EVIL = `${'a'.repeat(40)}!`;
const ENV = 'version: 1.0.0\nlayers:\n  - rules/r.yaml\nartifact:\n  name: falco-rules-prod\n';
const rule = (name: string, check: string) =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = execve and ${check}\n  output: "%proc.cmdline"\n  priority: WARNING\n`;
const RULES = [
  rule('Nested quantifier', 'proc.cmdline regex "(a+)+$"'),
  rule('Alternation blow-up', 'proc.cmdline regex "(a|aa)+$"'),
  rule('Many stars', 'proc.cmdline glob "*a*a*a*a*a*a*a*a*a*a*a*a*b"'),
  rule('Many stars iglob', 'proc.cmdline iglob "*A*A*A*A*A*A*A*A*A*A*A*A*B"'),
  rule('Regex list', 'proc.cmdline regex anyof ("(a*)*b", "(a+)+$")'),
].join('');
const NAMES = ['Nested quantifier', 'Alternation blow-up', 'Many stars', 'Many stars iglob', 'Regex list'];
const TESTS = `tests:\n  - name: hostile command line\n    event: { evt.type: execve, proc.cmdline: "${EVIL}" }\n    does_not_fire: [${NAMES.join(', ')}]\n  - name: what does match still matches\n    event: { evt.type: execve, proc.cmdline: "aaaa" }\n    fires: [Nested quantifier, Alternation blow-up]\n`;
const alert = (name: string) =>
  JSON.stringify({
    rule: name,
    priority: 'Warning',
    output: EVIL,
    output_fields: { 'evt.type': 'execve', 'proc.cmdline': EVIL },
    source: 'syscall',
    tags: [],
    time: '2026-11-20T10:00:00.000000000Z',
  });

let repo: TempRepo;
beforeAll(async () => {
  repo = createTempRepo();
  repo.commit({ 'environments/prod/environment.yaml': ENV, 'rules/r.yaml': rule('Plain', 'proc.name = sh') }, 'base');
  repo.commit({ 'rules/r.yaml': RULES, 'rules/tests/hostile.yaml': TESTS }, 'hostile patterns');
  writeFileSync(join(repo.dir, 'alerts.jsonl'), `${NAMES.map(alert).join('\n')}\n`);
  await run(['validate'], { cwd: repo.dir }); // loads every module once, so the runs below time the work
});
afterAll(() => repo.remove());

const runInRepo = (argv: string[]): Promise<CliRun> => run(argv, { cwd: repo.dir });

describe('regular-expression denial of service', { timeout: HANG_MS }, () => {
  it('test: hostile values are decided, and the patterns still match what they should', async () => {
    const r = await runInRepo(['test', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ passed: 2, failed: 0 });
  });

  it('replay: attacker-shaped alert fields are replayed', async () => {
    const r = await runInRepo(['replay', '--alerts', 'alerts.jsonl', '--env', 'prod', '--base', 'HEAD~1', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
  });

  it('ci: the whole pull-request run finishes', async () => {
    const r = await runInRepo(['ci', '--base', 'HEAD~1', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).data.gates).toContainEqual({ gate: 'test', passed: true, detail: '2 passed, 0 failed' });
  });
});

describe('patterns RE2 refuses are load errors, as in Falco', () => {
  it.each([
    ['look-behind', '(?<=a)b', 'invalid regex pattern: no argument for repetition operator: ?'],
    ['backreference', '(a)\\\\1', 'invalid regex pattern: invalid escape sequence: \\1'],
    ['unbalanced group', '(a', 'invalid regex pattern: missing ): (a'],
    ['unexpected parenthesis', 'a)', 'invalid regex pattern: unexpected ): a)'],
    ['Perl class (RE2 compiles with POSIX syntax)', '\\\\d+', 'invalid regex pattern: invalid escape sequence: \\d'],
  ])('%s', async (_, pattern, message) => {
    const dir = createTempRepo();
    try {
      dir.commit({ 'environments/prod/environment.yaml': ENV, 'rules/r.yaml': rule('Bad', `proc.cmdline regex "${pattern}"`) }, 'bad');
      const r = await run(['validate', '--format', 'json'], { cwd: dir.dir });
      expect(r.code).toBe(1);
      const diagnostics = JSON.parse(r.stdout).diagnostics as { code: string; message: string; location: { file: string; line: number } }[];
      expect(diagnostics).toContainEqual(
        expect.objectContaining({ code: 'LOAD_ERR_COMPILE_CONDITION', message, location: expect.objectContaining({ file: 'rules/r.yaml', line: 3 }) }),
      );
    } finally {
      dir.remove();
    }
  });
});
