/**
 * Expansion and nesting bombs: a few kilobytes that describe billions of nodes, or millions of
 * nesting levels. Each is one coded error naming file, line and column, in bounded time and memory,
 * never a stack trace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { run, type CliRun } from '../helpers/cli.js';
import { removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

const ENV = 'version: 1.0.0\nlayers:\n  - rules/r.yaml\nartifact:\n  name: falco-rules-prod\n';
const RULE = (condition: string) => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "%proc.name"\n  priority: WARNING\n`;

/** `e0` a check, then `eN: (eN-1 or eN-1)`: each level doubles the expanded condition. */
function macroBomb(levels: number, ruleCondition: string): string {
  const items = ['- macro: e0\n  condition: proc.name = a\n'];
  for (let i = 1; i <= levels; i++) items.push(`- macro: e${i}\n  condition: (e${i - 1} or e${i - 1})\n`);
  return items.join('') + RULE(ruleCondition);
}

const FOUR_MILLION_BRACKETS = '['.repeat(4_000_000);

const roots: string[] = [];
afterAll(() => roots.forEach(removeTempRepo));
function repo(files: Record<string, string>): string {
  const root = writeTempRepo({ 'environments/prod/environment.yaml': ENV, ...files });
  roots.push(root);
  return root;
}

function expectCleanFailure(r: CliRun, code: 1 | 2): void {
  expect(r.code).toBe(code);
  expect(r.stdout + r.stderr).not.toMatch(/internal error|RangeError|\n\s+at .+:\d+:\d+\)?\n/);
}

describe('expansion and nesting bombs', () => {
  it('28 levels of doubling macros (2 KB) are one LOAD_ERR_VALIDATE at the macro that crosses the budget', async () => {
    const text = macroBomb(28, 'evt.type = execve and e28');
    expect(text.length).toBeLessThan(2048);
    const r = await run(['validate', '--format', 'json'], { cwd: repo({ 'rules/r.yaml': text }) });
    expectCleanFailure(r, 1);
    const [d, ...rest] = JSON.parse(r.stdout).diagnostics as { code: string; message: string; location: { file: string; line: number; column: number } }[];
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'LOAD_ERR_VALIDATE', location: { file: 'rules/r.yaml', line: 36 } });
    expect(d!.message).toMatch(/^macros expand to \d+ more nodes in this condition, more than the limit of 200000$/);
  });

  it('a rule that doubles macros each within the budget is refused at the rule', async () => {
    const r = await run(['validate'], { cwd: repo({ 'rules/r.yaml': macroBomb(16, 'evt.type = execve and (e16 or e16)') }) });
    expectCleanFailure(r, 1);
    expect(r.stdout).toMatch(/^rules\/r\.yaml:37:\d+ {2}error {2}macros expand to \d+ more nodes/m);
  });

  it('macros well within the budget, and long written conditions, still compile', async () => {
    const long = `evt.type = execve and (${Array.from({ length: 20_000 }, (_, i) => `proc.name = p${i}`).join(' or ')})`;
    const r = await run(['validate'], {
      cwd: repo({ 'rules/r.yaml': macroBomb(10, 'evt.type = execve and e10') + RULE(long).replace('rule: R', 'rule: Long') }),
    });
    expect(r.code).toBe(0);
  });

  it('four million nested brackets in a layer are one LOAD_ERR_YAML_PARSE', async () => {
    const r = await run(['validate'], { cwd: repo({ 'rules/r.yaml': `- list: l\n  items: ${FOUR_MILLION_BRACKETS}\n` }) });
    expectCleanFailure(r, 1);
    expect(r.stdout).toContain('rules/r.yaml:2:265  error  YAML nesting is too deep to load: more than 256 levels  [LOAD_ERR_YAML_PARSE]');
  });

  it('so is a million-deep block sequence on one line, through compile', async () => {
    const root = repo({ 'bomb.yaml': `${'- '.repeat(1_000_000)}x\n` });
    const r = await run(['compile', 'bomb.yaml'], { cwd: root });
    expectCleanFailure(r, 1);
    expect(r.stdout + r.stderr).toContain('bomb.yaml:1:513: error LOAD_ERR_YAML_PARSE: YAML nesting is too deep to load');
  });

  it('so is nesting by indentation alone, one level per line', async () => {
    const text = Array.from({ length: 1200 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('');
    const r = await run(['compile', 'deep.yaml'], { cwd: repo({ 'deep.yaml': text }) });
    expectCleanFailure(r, 1);
    expect(r.stdout + r.stderr).toContain('deep.yaml:258:258: error LOAD_ERR_YAML_PARSE: YAML nesting is too deep to load');
  });

  it('in an environment file it is a configuration error (exit 2)', async () => {
    const r = await run(['validate'], {
      cwd: repo({ 'environments/prod/environment.yaml': FOUR_MILLION_BRACKETS, 'rules/r.yaml': RULE('evt.type = execve') }),
    });
    expectCleanFailure(r, 2);
    expect(r.stderr).toContain('environments/prod/environment.yaml:1:257: error CONFIG_ERROR: invalid YAML: nesting deeper than 256 levels');
  });

  it('in a rule test file it is an input error (exit 2) of that file', async () => {
    const root = repo({ 'rules/r.yaml': RULE('evt.type = execve'), 'rules/tests/bomb.yaml': `tests: ${FOUR_MILLION_BRACKETS}` });
    const r = await run(['test'], { cwd: root });
    expectCleanFailure(r, 2);
    expect(r.stderr).toContain('rules/tests/bomb.yaml:1:264: error INPUT_ERROR: YAML nesting is too deep to load: more than 256 levels');
  });
});
