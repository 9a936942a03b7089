/** Event codes resolved with a per-node memo are those resolved without one (§7), shared subtrees resolved once. */
import { describe, expect, it } from 'vitest';
import { createEventCodeMemo, defaultCatalog, parseCondition, resolveEventCodes, type Expr } from '../../src/condition/index.js';
import { compileRuleset, mergeRulesFiles, readRulesFile } from '../../src/rules/index.js';
import { readUpstream } from '../helpers/shared.js';

const TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

function parsed(text: string): Expr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.expr;
}

describe('event code memo', () => {
  it('gives every rule of the latest trio the codes it has without the memo, one memo shared by all', () => {
    const compiled = compileRuleset(mergeRulesFiles(TRIO.map((f) => readRulesFile(readUpstream(f)))));
    const memo = createEventCodeMemo();
    const rules = compiled.rules.filter((r) => r.source === 'syscall');
    expect(rules.length).toBeGreaterThan(80);
    for (const rule of rules) {
      expect(resolveEventCodes(rule.ast, defaultCatalog, { memo })).toEqual(resolveEventCodes(rule.ast, defaultCatalog));
    }
  });

  it('keeps a subtree under and outside a negation apart', () => {
    const memo = createEventCodeMemo();
    const open = parsed('evt.type in (open, openat)');
    const negated: Expr = { kind: 'not', operand: open, span: { start: 0, end: 0 } };
    const both: Expr = { kind: 'and', operands: [parsed('proc.name = x'), negated], span: { start: 0, end: 0 } };
    expect(resolveEventCodes(open, defaultCatalog, { memo })).toEqual(resolveEventCodes(open, defaultCatalog));
    expect(resolveEventCodes(both, defaultCatalog, { memo })).toEqual(resolveEventCodes(both, defaultCatalog));
    expect(memo.plain.has(open)).toBe(true);
    expect(memo.negated.has(open)).toBe(true);
    expect(memo.negated.get(open)).not.toEqual(memo.plain.get(open));
  });
});
