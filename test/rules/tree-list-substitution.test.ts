/**
 * Lists substituted in the parsed tree give the tree Falco's textual substitution (§3.2) then a
 * parse gives, spans aside; the text path is taken wherever they could differ.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCondition, withoutSpans, type Expr, type ParseResult } from '../../src/condition/index.js';
import { fsRepositoryReader } from '../../src/config/index.js';
import { loadRepository } from '../../src/build/index.js';
import { CompileCache, ListTable } from '../../src/rules/compile-cache.js';
import { buildExceptionsCondition } from '../../src/rules/exceptions-condition.js';
import { compileLists, mergeRulesFiles, readRulesFile, substituteLists, type CompiledList, type MergedRuleset } from '../../src/rules/index.js';
import { REPO_ROOT, readUpstream, upstreamManifest } from '../helpers/shared.js';

const asLists = (defs: [string, string[]][]): CompiledList[] =>
  defs.map(([name, items], index) => ({ name, items, used: false, entry: { kind: 'list', name, items, index, visibility: index + 1 } as unknown as CompiledList['entry'] }));

function comparable(parsed: ParseResult): unknown {
  return parsed.ok ? { ok: true, expr: withoutSpans(parsed.expr) } : { ok: false, error: parsed.error };
}

/** The conditions (macros, then rules with their exceptions) a merged ruleset parses. */
function conditionTexts(merged: MergedRuleset): string[] {
  const texts = [...merged.macros.values()].map((m) => m.condition);
  for (const rule of merged.rules.values()) {
    const built = buildExceptionsCondition(rule.condition, rule.exceptions);
    if (!('error' in built)) texts.push(built.text);
  }
  return texts;
}

/** Every condition of `merged` substituted in the tree and as text: the same trees and used lists. Returns how many took the tree. */
function expectTreeEqualsText(merged: MergedRuleset): number {
  const lists = new ListTable(compileLists(merged));
  const cache = new CompileCache();
  let inTree = 0;
  for (const text of conditionTexts(merged)) {
    const tree = cache.substituteAndParse(text, lists, true);
    const textual = cache.substituteAndParse(text, lists, false);
    expect(comparable(tree.parsed)).toEqual(comparable(textual.parsed));
    expect([...tree.used].sort()).toEqual([...textual.used].sort());
    if (tree.parsed.ok && textual.parsed.ok && tree.parsed.expr !== textual.parsed.expr && tree.used.size > 0) inTree++;
  }
  return inTree;
}

describe('list substitution in the tree', () => {
  it('gives the textual result for random conditions naming lists anywhere, with random items', () => {
    const name = fc.constantFrom('la', 'lb', 'l_c', 'open');
    const item = fc.oneof(
      { arbitrary: fc.constantFrom('bash', 'sh', '/bin/x', '10.0.0.0/8', 'la', 'lb', 'and', '0x1F', 'k8s.io/x*'), weight: 6 },
      { arbitrary: fc.constantFrom('a b', '"q"', "'q'", '', 'x,y', 'x=y', 'a(b', 'back\\slash', 'tab\tx'), weight: 1 },
    );
    const value = fc.oneof(name, fc.constantFrom('v', '"quoted la"', "'la'", '"la"'));
    const listLit = fc.array(value, { minLength: 1, maxLength: 4 }).chain((vs) =>
      fc.constantFrom(', ', ',', ' , ', ',\n  ').map((sep) => `(${vs.join(sep)})`),
    );
    const check = fc.oneof(
      listLit.map((l) => `proc.name in ${l}`),
      listLit.map((l) => `fd.name pmatch${l}`),
      listLit.map((l) => `proc.name startswith oneof ${l}`),
      listLit.map((l) => `evt.type in (open, ${l.slice(1)}`),
      name.map((n) => `proc.name = ${n}`),
      name.map((n) => `proc.cmdline contains "x ${n}"`),
      name.map((n) => `proc.name in ${n}`),
      name.map((n) => n),
      fc.constantFrom('proc.name exists', 'm', 'fd.name = (x)', 'proc.aname[2] = la'),
    );
    const condition: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        check,
        fc.tuple(tie('expr'), fc.constantFrom(' and ', ' or ', '\tand\n'), tie('expr')).map(([a, op, b]) => `${a}${op}${b}`),
        tie('expr').map((e) => `not (${e})`),
        tie('expr').map((e) => `(${e})`),
      ),
    })).expr;
    const listSet = fc.array(fc.tuple(name, fc.array(item, { maxLength: 4 })), { maxLength: 4 });
    let inTree = 0;
    const cache = new CompileCache();
    fc.assert(
      fc.property(condition, listSet, (text, defs) => {
        const lists = asLists(defs);
        const table = new ListTable(lists);
        const expected = substituteLists(text, lists);
        const got = cache.substituteAndParse(text, table, true);
        expect(comparable(got.parsed)).toEqual(comparable(parseCondition(expected.text)));
        expect([...got.used].sort()).toEqual([...expected.used].sort());
        const template = cache.parse(text);
        if (got.used.size > 0 && got.parsed.ok && template.ok && got.parsed.expr !== cache.parse(expected.text).expr) inTree++;
      }),
      { numRuns: 3000 },
    );
    // the property must have exercised the tree path, not only the textual fallback
    expect(inTree).toBeGreaterThan(100);
  });

  it('parses a condition once however its lists change, keeping the subtrees without a list', () => {
    const cache = new CompileCache();
    const text = 'spawned_process and proc.name in (shells, zsh) and not fd.name startswith /tmp';
    const one = cache.substituteAndParse(text, new ListTable(asLists([['shells', ['bash', 'sh']]])), true);
    const two = cache.substituteAndParse(text, new ListTable(asLists([['shells', ['bash', 'sh', 'fish']]])), true);
    if (!one.parsed.ok || !two.parsed.ok) throw new Error('condition does not parse');
    const [a1, b1, c1] = (one.parsed.expr as Extract<Expr, { kind: 'and' }>).operands;
    const [a2, b2, c2] = (two.parsed.expr as Extract<Expr, { kind: 'and' }>).operands;
    expect(a2).toBe(a1);
    expect(c2).toBe(c1);
    expect(b2).not.toBe(b1);
    expect(b2 && b2.kind === 'binary-check' && b2.right.kind === 'list' ? b2.right.items.map((i) => i.value) : []).toEqual(['bash', 'sh', 'fish', 'zsh']);
    expect([...two.used]).toEqual(['shells']);
    // the same lists again: the very same tree
    expect(cache.substituteAndParse(text, new ListTable(asLists([['shells', ['bash', 'sh', 'fish']]])), true).parsed).toBe(two.parsed);
  });

  it('keeps the textual path for items Falco would quote or split, and for a name used outside a list literal', () => {
    const cache = new CompileCache();
    const cases: [string, [string, string[]][]][] = [
      ['proc.name in (shells)', [['shells', ['a b', 'c']]]],
      ['proc.name in (shells)', [['shells', ['a,b']]]],
      ['proc.name in (shells) and proc.pname = shells', [['shells', ['bash']]]],
      ['proc.name in (shells) or proc.cmdline contains "run shells now"', [['shells', ['bash']]]],
      ['proc.name in (shells)', [['shells', ['later']], ['later', ['x', 'y']]]],
    ];
    for (const [text, defs] of cases) {
      const lists = asLists(defs);
      const got = cache.substituteAndParse(text, new ListTable(lists), true);
      const expected = substituteLists(text, lists);
      expect(got.parsed).toBe(cache.parse(expected.text));
    }
  });

  it('gives the textual result on every upstream ruleset', () => {
    let inTree = 0;
    for (const entry of upstreamManifest()) {
      const merged = mergeRulesFiles([readRulesFile(readUpstream(entry.file))]);
      if (merged.diagnostics.some((d) => d.severity === 'error')) continue;
      inTree += expectTreeEqualsText(merged);
    }
    expect(inTree).toBeGreaterThan(1000);
  });

  it("gives the textual result on the example repository's environments", () => {
    const load = loadRepository(fsRepositoryReader(REPO_ROOT));
    if (!load.ok) throw new Error(load.message);
    let inTree = 0;
    for (const env of load.environments) inTree += expectTreeEqualsText(env.ruleset!.merged);
    expect(inTree).toBeGreaterThan(0);
  });
});
