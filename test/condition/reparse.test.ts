/**
 * reparseChange gives exactly what parseCondition gives for the new text (nodes, spans, key order),
 * or nothing: for a list change, for exceptions appended or changed at the end of a rule's
 * condition, and for both at once; checked on random exceptions over every upstream rule of the
 * newest trio, and on changes it must refuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCondition, reparseChange, type Expr } from '../../src/condition/index.js';
import { compileLists } from '../../src/rules/compile-lists.js';
import { buildExceptionsCondition } from '../../src/rules/exceptions-condition.js';
import { mergeRulesFiles, readRulesFile, substituteLists, type ExceptionDef } from '../../src/rules/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';
import { asFullParse, parsed } from '../helpers/reparse.js';

const TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

const operands = (e: Expr) => (e as { operands: Expr[] }).operands;

function exception(name: string, values: string[][], fields: string[] = ['proc.name', 'fd.name'], comps: string[] = ['=', 'startswith']): ExceptionDef {
  return { name, fields, comps, values } as ExceptionDef;
}

function withExceptions(condition: string, exceptions: ExceptionDef[]): string {
  const built = buildExceptionsCondition(condition, exceptions);
  if ('error' in built) throw new Error(built.error);
  return built.text;
}

describe('reparseChange', () => {
  it('parses only the operands an exception added or changed, keeping those before them', () => {
    const condition = 'evt.type = open and proc.name in (bash, zsh)';
    const before = withExceptions(condition, [exception('a', [['b-0', '/etc/']])]);
    const after = withExceptions(condition, [exception('a', [['b-0', '/etc/']]), exception('b', [['b-1', '/usr/']])]);
    const old = parsed(before);
    const result = reparseChange(before, old, after)!;
    expect(JSON.stringify(result.expr)).toBe(JSON.stringify(parsed(after)));
    expect(operands(result.expr)[0]).toBe(operands(old)[0]);
    expect(result.moved).toEqual([]);
  });

  it('takes a list change and an exception change in one condition in two steps', () => {
    const before = withExceptions('evt.type = open and proc.name in (bash, zsh, shell-0) and fd.name = x', [exception('a', [['backup-0', '/etc/']])]);
    const after = withExceptions('evt.type = open and proc.name in (bash, zsh, shell-10) and fd.name = x', [exception('a', [['backup-10', '/etc/']])]);
    const result = reparseChange(before, parsed(before), after)!;
    expect(JSON.stringify(result.expr)).toBe(JSON.stringify(parsed(after)));
    expect(result.delta).toBe(1);
    expect(result.moved.length).toBeGreaterThan(0);
  });

  it('refuses what is not a change of its top-level and past its first operand', () => {
    for (const [before, after] of [
      ['(a and b)', '(a and c'], // a parenthesised group is not the top level, and this one is not closed
      ['(a and b)', '(a and c)'],
      ['a and b', 'a and b or c'], // an or after it changes the top level
      ['a and b', 'a and(c)'], // entered without a blank
      ['a and b', 'x and b'], // the first operand
      ['a and b', 'a and b and'], // an error
      ['a or b', 'a or c'],
      ['not (a and b)', 'not (a and c)'],
    ]) {
      expect(reparseChange(before!, parsed(before!), after!), `${before} -> ${after}`).toBeUndefined();
    }
  });

  it('gives the full parse for random exceptions appended to a condition, with or without a list change', () => {
    // mostly values, fields and operators as users write them, now and then text that breaks out of its clause
    const value = fc.oneof(
      { arbitrary: fc.stringMatching(/^[a-z0-9\/.-]{1,8}$/), weight: 8 },
      { arbitrary: fc.stringMatching(/^[a-z0-9 ,()"'=.\/\\-]{0,8}$/), weight: 1 },
    );
    const field = fc.oneof(
      { arbitrary: fc.constantFrom('proc.name', 'fd.name', 'container.id', 'proc.aname[2]'), weight: 8 },
      { arbitrary: fc.constantFrom('proc.name) or (evt.type', 'x and'), weight: 1 },
    );
    const comp = fc.oneof(
      { arbitrary: fc.constantFrom('=', 'startswith', 'in', 'pmatch', '!='), weight: 8 },
      { arbitrary: fc.constantFrom('or', ')'), weight: 1 },
    );
    const exceptionDef = fc
      .tuple(fc.array(fc.tuple(field, comp), { minLength: 1, maxLength: 2 }), fc.array(value, { minLength: 2, maxLength: 2 }))
      .map(([pairs, values]) =>
        exception(
          'e',
          [pairs.map((_, k) => values[k % values.length]!)],
          pairs.map(([f]) => f),
          pairs.map(([, c]) => c),
        ),
      );
    const base = fc.constantFrom(
      'evt.type = open and proc.name in (bash, zsh%)',
      'proc.name in (a, b%) or fd.name = x',
      '(proc.name in (x%)) and not fd.name = y',
      'open_read and fd.name in (x%)',
    );
    let reparsed = 0;
    fc.assert(
      fc.property(
        base,
        fc.array(exceptionDef, { minLength: 1, maxLength: 2 }),
        fc.array(exceptionDef, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (condition, first, second, listToo) => {
          const before = withExceptions(condition.replace('%', ''), first);
          const after = withExceptions(condition.replace('%', listToo ? ', sh' : ''), second);
          if (!parseCondition(before).ok) return;
          const result = asFullParse(reparseChange, before, after);
          if (result.reparsed === undefined) return;
          expect(result.reparsed).toBe(result.full);
          reparsed += 1;
        },
      ),
      { numRuns: 3000 },
    );
    expect(reparsed).toBeGreaterThan(500);
  });

  it.skipIf(missingUpstream(...TRIO))('gives the full parse for every upstream rule with exceptions appended and a list it expands edited', () => {
    const merged = mergeRulesFiles(TRIO.map((f) => readRulesFile(readUpstream(f))));
    const lists = compileLists(merged);
    const reparsed = { rules: 0, tail: 0, listAndTail: 0 };
    for (const entry of merged.rules.values()) {
      const text = (items: (name: string, items: string[]) => string[], exceptions: ExceptionDef[]) =>
        substituteLists(
          withExceptions(entry.condition, [...entry.exceptions, ...exceptions]),
          lists.map((l) => ({ ...l, items: items(l.name, l.items) })),
        ).text;
      const before = text((_, items) => items, [exception('env_0', [['backup-0', '/etc/']])]);
      if (!parseCondition(before).ok) continue;
      reparsed.rules += 1;
      const used = substituteLists(withExceptions(entry.condition, entry.exceptions), lists).used;
      const changes: [keyof typeof reparsed, string][] = [
        ['tail', text((_, items) => items, [exception('env_1', [['backup-1', '/etc/']])])],
        ['tail', text((_, items) => items, [exception('env_0', [['backup-0', '/etc/']]), exception('env_1', [['b', 'c']])])],
        ...[...used].map((name): [keyof typeof reparsed, string] => [
          'listAndTail',
          text((n, items) => (n === name ? [...items, 'shell-1'] : items), [exception('env_1', [['backup-1', '/etc/']])]),
        ]),
      ];
      for (const [kind, after] of changes) {
        const result = asFullParse(reparseChange, before, after);
        if (result.reparsed === undefined) continue;
        expect(result.reparsed, entry.name).toBe(result.full);
        reparsed[kind] += 1;
      }
    }
    // a change of exceptions alone is always taken; with a list, unless the literal was empty or the list is expanded twice
    expect(reparsed.tail).toBe(2 * reparsed.rules);
    expect(reparsed.listAndTail).toBeGreaterThan(50);
  });
});
