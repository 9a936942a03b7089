import { describe, expect, it } from 'vitest';
import { buildRuleIndex, parseRuleTestFile, runRuleTests, tableFieldTypes } from '../../src/evaluate/index.js';
import { rule } from './helpers/rules.js';

const types = () => tableFieldTypes({});
const index = buildRuleIndex(
  [
    rule('Shell spawned', '(evt.type = execve and proc.name in (bash, sh) and not proc.pname in (sshd))', { eventTypes: ['execve'] }),
    rule('Old rule', 'evt.type = execve', { enabled: false, eventTypes: ['execve'] }),
  ],
  types,
);

const FILE = `
defaults:
  event: { evt.type: execve }
tests:
  - name: bash from a web server
    event: { proc.name: bash, proc.pname: nginx }
    fires: [Shell spawned]
    does_not_fire: [Old rule]
    environments:
      production: { does_not_fire: Shell spawned }
  - name: missing parent
    event: { proc.name: bash }
    fires: Shell spawned
  - name: wrong type
    event: { evt.type: open, proc.name: bash, proc.pname: nginx }
    fires: [Shell spawned, No such rule]
`;

describe('rule tests', () => {
  it('parses tests with defaults, lines and per-environment expectations', () => {
    const { cases, diagnostics } = parseRuleTestFile('rules/tests/shell.yaml', FILE);
    expect(diagnostics).toEqual([]);
    expect(cases.map((c) => [c.name, c.line])).toEqual([
      ['bash from a web server', 5],
      ['missing parent', 11],
      ['wrong type', 14],
    ]);
    expect(cases[0]?.event).toEqual({ 'evt.type': 'execve', 'proc.name': 'bash', 'proc.pname': 'nginx' });
    expect(cases[0]?.environments.production).toEqual({ fires: [], doesNotFire: ['Shell spawned'] });
  });

  it('reports passes, failures with the deciding check, undecided outcomes and unknown rules', () => {
    const { cases } = parseRuleTestFile('t.yaml', FILE);
    const staging = runRuleTests(cases, 'staging', index);
    expect(staging.map((r) => r.passed)).toEqual([true, false, false]);
    expect(staging[1]?.failures).toEqual([
      { rule: 'Shell spawned', expected: 'fires', actual: 'undecided', deciding: ['proc.pname in (sshd) → unknown'], missing: ['proc.pname'] },
    ]);
    expect(staging[2]?.failures.map((f) => [f.rule, f.actual])).toEqual([
      ['Shell spawned', 'does-not-fire'],
      ['No such rule', 'no-such-rule'],
    ]);
    const production = runRuleTests(cases, 'production', index);
    expect(production[0]?.failures).toEqual([
      {
        rule: 'Shell spawned',
        expected: 'does-not-fire',
        actual: 'fires',
        deciding: ['evt.type = execve → true', 'proc.name in (bash, sh) → true', 'proc.pname in (sshd) → false'],
        missing: [],
      },
    ]);
  });

  it('reports malformed test files with positions', () => {
    const { diagnostics } = parseRuleTestFile('bad.yaml', 'tests:\n  - name: x\n    event: [a]\n  - event: {}\n');
    expect(diagnostics.map((d) => [d.message, d.location.line])).toEqual([
      ["a test needs an 'event' mapping of field names to values", 3],
      ["a test needs a 'name'", 4],
    ]);
  });
});
