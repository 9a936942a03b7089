import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOperator, Expr } from '../../src/condition/ast.js';
import { compileCondition, compileRowCondition, tableFieldTypes, type FieldValue } from '../../src/evaluate/index.js';

const span = { start: 0, end: 0 };
const types = tableFieldTypes({
  'fd.num': { type: 'INT64', list: false },
  'evt.is_open_read': { type: 'BOOL', list: false },
  'proc.name': { type: 'CHARBUF', list: false },
});

function check(field: string, op: BinaryOperator, value: string): Expr {
  return { kind: 'binary-check', left: { kind: 'field', name: field, span }, op, right: { kind: 'value', value, span }, span };
}

/** The row form (with its inline number and boolean cases) against the record form, which has none. */
function agree(expr: Expr, key: string, value: FieldValue | undefined): void {
  const record = compileCondition(expr, types);
  const row = compileRowCondition(expr, types, () => 0);
  expect(row([value]), `${JSON.stringify(value)}`).toBe(record.evaluate(value === undefined ? {} : { [key]: value }));
}

const values: fc.Arbitrary<FieldValue | undefined> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(Number.NaN, 0.5, -0, true, false, null, undefined, '2', '0x2', ' 1 ', 'x', 'true', 'false', ''),
  fc.array(fc.integer({ min: -2, max: 2 }), { maxLength: 3 }),
);

describe('checks specialised for rows', () => {
  it('agree with the general comparison for every operator and value', () => {
    const numeric: BinaryOperator[] = ['=', '==', '!=', '<', '<=', '>', '>='];
    fc.assert(
      fc.property(fc.constantFrom(...numeric), fc.constantFrom('0', '1', '-2', '0x1'), values, (op, rhs, v) => agree(check('fd.num', op, rhs), 'fd.num', v)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom<BinaryOperator>('=', '==', '!='), fc.constantFrom('true', 'false'), values, (op, rhs, v) =>
        agree(check('evt.is_open_read', op, rhs), 'evt.is_open_read', v),
      ),
      { numRuns: 1000 },
    );
  });

  it('string checks agree with the general comparison on strings, numbers, lists and <NA>', () => {
    const strings: fc.Arbitrary<FieldValue | undefined> = fc.oneof(
      fc.constantFrom('sh', 'bash', 'ba', 'ash', '', 2, true, null, undefined),
      fc.array(fc.constantFrom('sh', 'bash', 'zsh', 2), { maxLength: 3 }),
    );
    const ops: BinaryOperator[] = ['=', '==', '!=', 'startswith', 'endswith', 'contains'];
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.constantFrom('sh', 'ba', '', '2'), strings, (op, rhs, v) => agree(check('proc.name', op, rhs), 'proc.name', v)),
      { numRuns: 2000 },
    );
  });

  it('treat NaN as no number: != is false, as every other comparison', () => {
    const row = compileRowCondition(check('fd.num', '!=', '1'), types, () => 0);
    expect([row([Number.NaN]), row([2]), row([1])]).toEqual([0, 1, 0]);
  });
});
