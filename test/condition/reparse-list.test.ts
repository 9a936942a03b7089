/**
 * reparseListChange gives exactly what parseCondition gives for the new text (nodes, spans, key
 * order), or nothing: checked on every condition of the newest upstream trio with each list it
 * expands edited, odd items included, and on changes it must refuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCondition, reparseListChange, type Expr } from '../../src/condition/index.js';
import { compileLists } from '../../src/rules/compile-lists.js';
import { mergeRulesFiles, readRulesFile, substituteLists } from '../../src/rules/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';
import { asFullParse, parsed } from '../helpers/reparse.js';

const TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

describe('reparseListChange', () => {
  it('parses again only the list literal that changed, moving what follows it', () => {
    const before = 'evt.type = open and proc.name in (bash, zsh) and fd.name startswith /etc and not proc.pname in (a)';
    const after = 'evt.type = open and proc.name in (bash, zsh, shell-10) and fd.name startswith /etc and not proc.pname in (a)';
    const old = parsed(before);
    const result = reparseListChange(before, old, after)!;
    expect(JSON.stringify(result.expr)).toBe(JSON.stringify(parsed(after)));
    expect(result.delta).toBe(10);
    // the check before the literal is kept as it was; the two after it are moved copies
    const [first] = (result.expr as { operands: Expr[] }).operands;
    expect(first).toBe((old as { operands: Expr[] }).operands[0]);
    expect(result.moved.length).toBeGreaterThan(0);
    for (const [from, to] of result.moved) expect([to.span.start, to.span.end]).toEqual([from.span.start + 10, from.span.end + 10]);
  });

  it('keeps what follows a change that keeps the length', () => {
    const before = 'proc.name in (shell-1) and fd.name = /etc';
    const old = parsed(before);
    const result = reparseListChange(before, old, 'proc.name in (shell-2) and fd.name = /etc')!;
    expect(result.moved).toEqual([]);
    expect((result.expr as { operands: Expr[] }).operands[1]).toBe((old as { operands: Expr[] }).operands[1]);
  });

  it('refuses changes outside one list literal, and literals that no longer end where they did', () => {
    const before = 'proc.name in (a, b) and fd.name = x';
    for (const after of [
      'proc.name in (a, b) and fd.name = y', // not in a list
      'proc.name in (a, b)) and (fd.name = x', // the literal ends earlier
      'proc.pname in (a, b) and fd.name = x', // the field
      'proc.name in (a, b, c) and fd.name = xy', // two places
      'proc.name in (a, "b) and fd.name = x', // an unterminated string
    ]) {
      expect(reparseListChange(before, parsed(before), after), after).toBeUndefined();
    }
    expect(reparseListChange('proc.name in ( )', parsed('proc.name in ( )'), 'proc.name in ( a )')).toBeUndefined();
  });

  it('gives the full parse for random items added to a list', () => {
    const item = fc.stringMatching(/^[a-z0-9 ,()"'=.\/\\-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(item, { maxLength: 4 }), fc.array(item, { maxLength: 4 }), (left, right) => {
        const text = (items: string[]) =>
          `evt.type = open and proc.name in (${['bash', ...items].join(', ')}) and not fd.name in (/etc, /bin) or proc.pname = x`;
        const before = text(left);
        if (!parseCondition(before).ok) return;
        const { reparsed, full } = asFullParse(reparseListChange, before, text([...left, ...right]));
        if (reparsed !== undefined) expect(reparsed).toBe(full);
      }),
      { numRuns: 2000 },
    );
  });

  it.skipIf(missingUpstream(...TRIO))('gives the full parse for every upstream condition with each list it expands edited', () => {
    const merged = mergeRulesFiles(TRIO.map((f) => readRulesFile(readUpstream(f))));
    const lists = compileLists(merged);
    const edits: ((items: string[]) => string[])[] = [
      (items) => [...items, 'shell-12'],
      (items) => [...items, 'a b', '"quoted"'],
      (items) => items.slice(1),
      (items) => [...items, 'a,b'],
      (items) => [...items, 'x)'],
      () => [],
    ];
    let reparsed = 0;
    for (const entry of [...merged.macros.values(), ...merged.rules.values()]) {
      const before = substituteLists(entry.condition, lists);
      if (!parseCondition(before.text).ok) continue;
      for (const name of before.used) {
        for (const edit of edits) {
          const edited = lists.map((l) => (l.name === name ? { ...l, items: edit(l.items) } : l));
          const after = substituteLists(entry.condition, edited).text;
          if (after === before.text) continue;
          const result = asFullParse(reparseListChange, before.text, after);
          if (result.reparsed === undefined) continue;
          expect(result.reparsed, `${entry.name}, list ${name}`).toBe(result.full);
          reparsed += 1;
        }
      }
    }
    expect(reparsed).toBeGreaterThan(500);
  });
});
