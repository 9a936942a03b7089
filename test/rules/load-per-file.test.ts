import { describe, expect, it } from 'vitest';
import { loadRules, loadRulesPerFile } from '../../src/rules/index.js';

const a = { path: 'a.yaml', text: '- macro: shell\n  condition: proc.name = bash\n' };
const b = { path: 'b.yaml', text: '- rule: R\n  desc: d\n  condition: evt.type = execve and shell\n  output: o\n  priority: INFO\n' };
const pairs = (ds: { code: string; location: { file: string } }[]) => ds.map((d) => [d.code, d.location.file]);

describe('loadRulesPerFile: compile after each file, as `falco -r a -r b`', () => {
  it('reports a macro unused after the first file, with that file, though the second uses it', () => {
    expect(pairs(loadRules([a, b]).diagnostics)).toEqual([]);
    const r = loadRulesPerFile([a, b]);
    expect(r.ok).toBe(true);
    expect(pairs(r.diagnostics)).toEqual([['LOAD_UNUSED_MACRO', 'a.yaml']]);
    expect(r.rules.map((x) => x.name)).toEqual(['R']);
  });
  it('stops at the first state with an error, as Falco does', () => {
    const broken = { path: 'a.yaml', text: '- rule: Bad\n  desc: d\n  condition: proc.nme = x\n  output: o\n  priority: INFO\n' };
    const r = loadRulesPerFile([broken, b]);
    expect(r.ok).toBe(false);
    expect(pairs(r.diagnostics.filter((d) => d.severity === 'error'))).toEqual([['LOAD_ERR_COMPILE_CONDITION', 'a.yaml']]);
    expect(r.rules).toEqual([]);
  });
});
