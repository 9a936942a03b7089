import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/condition/ast.js';
import { defaultCatalog } from '../../src/condition/catalog/index.js';
import {
  buildRuleIndex,
  candidateRules,
  catalogFieldTypes,
  collectFieldConstants,
  completeEvent,
  evaluateEvent,
  evaluatePreparedEvent,
  prepareEvent,
  satisfyingEvent,
  seededRandom,
  tableFieldTypes,
  valueKindOf,
  type EventRow,
  type FalcoEvent,
  type Truth,
} from '../../src/evaluate/index.js';
import { countNodeParents } from '../../src/evaluate/shared-row-nodes.js';
import { loadRules } from '../../src/rules/index.js';
import { LATEST_TRIO, missingUpstream, readUpstream } from '../helpers/shared.js';
import { expr, rule } from './helpers/rules.js';

const span = { start: 0, end: 0 };
const and = (...operands: Expr[]): Expr => ({ kind: 'and', operands, span });

/** Two rules over one macro subtree (the same object, as macro expansion leaves it). */
function twoRulesSharingAMacro() {
  const macro = expr('(proc.name = nc and fd.name startswith /tmp/)');
  return buildRuleIndex(
    [
      { ...rule('A', 'x'), ast: and(expr('evt.type = execve'), macro) },
      { ...rule('B', 'x'), ast: and(macro, expr('user.name = root')) },
    ],
    () => tableFieldTypes({}),
  );
}

/** Counts the reads of one slot of a row. */
function countingRow(row: EventRow, slot: number): { row: EventRow; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(row as (string | undefined)[], {
    get(target, key, receiver) {
      if (key === String(slot)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { row: proxy, reads: () => reads };
}

describe('subtrees shared by the rules of an index', () => {
  it('counts each parent once, and walks a repeated subtree once', () => {
    const leaf = expr('proc.name = nc');
    const macro = and(leaf, expr('fd.name = x'));
    const parents = countNodeParents([and(macro, leaf), and(macro, expr('user.name = root'))]);
    expect([parents.get(macro), parents.get(leaf)]).toEqual([2, 2]);
  });

  it('evaluates a shared macro once per event, and again for the next event', () => {
    const index = twoRulesSharingAMacro();
    const slot = index.layout.slots.get('proc.name')!;
    const first = countingRow(prepareEvent(index, { 'evt.type': 'execve', 'proc.name': 'nc', 'fd.name': '/tmp/x', 'user.name': 'root' }), slot);
    expect(evaluatePreparedEvent(index, first.row).fired.map((r) => r.name)).toEqual(['A', 'B']);
    expect(first.reads()).toBe(1);
    // The same rows object, changed: a result kept from the last event must not leak into this one.
    const second = prepareEvent(index, { 'evt.type': 'execve', 'proc.name': 'sh', 'fd.name': '/tmp/x', 'user.name': 'root' });
    expect(evaluatePreparedEvent(index, second).fired).toEqual([]);
    expect(evaluateEvent(index, { 'evt.type': 'execve', 'proc.name': 'nc', 'fd.name': '/tmp/x', 'user.name': 'root' }).fired.map((r) => r.name)).toEqual([
      'A',
      'B',
    ]);
    expect(evaluateEvent(index, { 'evt.type': 'execve', 'proc.name': 'nc', 'fd.name': '/etc/x', 'user.name': 'root' }).fired).toEqual([]);
  });

  it('keeps unknown apart from false in a shared subtree', () => {
    const index = twoRulesSharingAMacro();
    const v = evaluateEvent(index, { 'evt.type': 'execve', 'proc.name': 'nc', 'user.name': 'root' });
    expect([v.fired, v.undecided.map((r) => r.name)]).toEqual([[], ['A', 'B']]);
    const b = index.byName.get('B')!;
    expect(b.row(prepareEvent(index, { 'proc.name': 'nc', 'fd.name': '/tmp/a', 'user.name': 'root' }))).toBe(1);
    expect(b.row(prepareEvent(index, { 'proc.name': 'nc', 'fd.name': '/tmp/a', 'user.name': 'www' }))).toBe(0);
  });
});

describe('rule predicates folded for the event type of their bucket', () => {
  const index = buildRuleIndex(
    [
      rule('Either', '(evt.type in (open, openat) and fd.name = /etc/shadow) or (evt.type = execve and proc.name = nc)', {
        eventTypes: ['open', 'openat', 'execve'],
      }),
      rule('Opens only', '(evt.type = openat and fd.name = /etc/shadow)', { eventTypes: ['openat', 'execve'] }),
    ],
    () => tableFieldTypes({}),
  );

  it('does not read fields that only matter for other event types', () => {
    const ev = { 'evt.type': 'execve', 'proc.name': 'nc', 'fd.name': '/etc/shadow' };
    const counted = countingRow(prepareEvent(index, ev), index.layout.slots.get('fd.name')!);
    expect(evaluatePreparedEvent(index, counted.row).fired.map((r) => r.name)).toEqual(['Either']);
    expect(counted.reads()).toBe(0);
    const open = countingRow(prepareEvent(index, { ...ev, 'evt.type': 'openat' }), index.layout.slots.get('fd.name')!);
    expect(evaluatePreparedEvent(index, open.row).fired.map((r) => r.name)).toEqual(['Either', 'Opens only']);
    expect(open.reads()).toBe(2);
  });

  it('leaves out of a bucket a rule that is false for its type, but still offers it as a candidate', () => {
    expect(
      index.rowPlans
        .get('syscall')!
        .byType.get('execve')!
        .map((e) => e.rule.name),
    ).toEqual(['Either']);
    expect(candidateRules(index, { 'evt.type': 'execve' }).map((r) => r.name)).toEqual(['Either', 'Opens only']);
    const v = evaluateEvent(index, { 'evt.type': 'execve' });
    expect([v.fired, v.undecided.map((r) => r.name)]).toEqual([[], ['Either']]);
  });
});

const missingTrio = missingUpstream(...LATEST_TRIO);

describe.skipIf(missingTrio)('row evaluation of the latest upstream trio agrees with record evaluation', () => {
  const ruleset = loadRules(missingTrio ? [] : LATEST_TRIO.map(readUpstream));
  const rounds = missingTrio ? 0 : 300;
  const fieldTypes = catalogFieldTypes(defaultCatalog);
  const syscall = fieldTypes('syscall');
  const rules = ruleset.rules.filter((r) => r.source === 'syscall');
  const index = buildRuleIndex(rules, fieldTypes);
  const enabled = rules.filter((r) => r.enabled);
  const pool = collectFieldConstants(enabled.map((r) => r.ast));
  const kindOf = (key: string) => {
    const open = key.indexOf('[');
    return valueKindOf((open < 0 ? syscall(key) : syscall(key.slice(0, open), key.slice(open + 1, -1)))?.type ?? 'CHARBUF');
  };
  const byType = index.bySourceAndType.get('syscall') ?? new Map();
  const keysOf = (type: string) => [...new Set((byType.get(type) ?? []).flatMap((r) => r.condition.keys))];
  const rand = seededRandom(11);
  const events: FalcoEvent[] = [];
  const types = [...byType.keys()];
  for (let i = 0; i < rounds; i++) {
    const type = types[Math.floor(rand() * types.length)]!;
    // Some fields left out, so undecided rules are exercised too.
    const keys = keysOf(type).filter(() => rand() < 0.9);
    events.push(completeEvent({ 'evt.type': type }, keys, pool, kindOf, rand, 0.3));
  }
  for (let i = 0; i < rounds; i++) {
    const r = enabled[i % enabled.length]!;
    const ev = satisfyingEvent(r.ast, i % 3 !== 0, syscall, rand);
    const type = typeof ev['evt.type'] === 'string' ? ev['evt.type'] : (r.eventTypes?.[0] ?? 'execve');
    ev['evt.type'] = type;
    events.push(completeEvent(ev, keysOf(type), pool, kindOf, rand));
  }

  it('fires and leaves undecided the same rules, event after event', () => {
    let fired = 0;
    let undecided = 0;
    for (const ev of events) {
      const expected: Record<'fired' | 'undecided', string[]> = { fired: [], undecided: [] };
      for (const r of candidateRules(index, ev)) {
        const t: Truth = r.condition.evaluate(ev);
        if (t === 1) expected.fired.push(r.name);
        if (t === 2) expected.undecided.push(r.name);
      }
      const names = (v: { fired: readonly { name: string }[]; undecided: readonly { name: string }[] }) => ({
        fired: v.fired.map((r) => r.name),
        undecided: v.undecided.map((r) => r.name),
      });
      expect(names(evaluatePreparedEvent(index, prepareEvent(index, ev)))).toEqual(expected);
      expect(names(evaluateEvent(index, ev))).toEqual(expected);
      fired += expected.fired.length;
      undecided += expected.undecided.length;
    }
    // The events reach deep into the conditions: many fire, some stay undecided.
    expect(fired).toBeGreaterThan(200);
    expect(undecided).toBeGreaterThan(20);
  });
});
