import type { BinaryOperator } from '../condition/ast.js';
import { toBool, toNumber } from './compare.js';
import type { ValueKind } from './field-types.js';
import type { EventRow } from './operand.js';
import { FALSE, TRUE, type Truth } from './truth.js';

type Pred = (ev: unknown) => Truth;

/**
 * Numeric and boolean comparisons with one constant on a plain single-valued field, with the
 * common case inline (the row holds a number, or a boolean); any other value takes `general`,
 * the check's own compiled predicate, so both give the same answer.
 */
export function compileScalarLeaf(op: BinaryOperator, kind: ValueKind, rhs: string, slot: number, general: Pred): Pred | undefined {
  if (kind === 'bool') {
    const r = toBool(rhs);
    if (r === undefined) return undefined;
    if (op === '=' || op === '==') {
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'boolean' ? (v === r ? TRUE : FALSE) : general(ev);
      };
    }
    if (op === '!=') {
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'boolean' ? (v !== r ? TRUE : FALSE) : general(ev);
      };
    }
    return undefined;
  }
  if (kind !== 'number') return undefined;
  const r = toNumber(rhs);
  if (Number.isNaN(r)) return undefined;
  const on = (test: (v: number) => boolean): Pred => {
    return (ev) => {
      const v = (ev as EventRow)[slot];
      return typeof v === 'number' ? (test(v) ? TRUE : FALSE) : general(ev);
    };
  };
  switch (op) {
    case '=':
    case '==':
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'number' ? (v === r ? TRUE : FALSE) : general(ev);
      };
    case '!=':
      // NaN is no number to compare: false, as the general path has it.
      return on((v) => v === v && v !== r);
    case '<':
      return on((v) => v < r);
    case '<=':
      return on((v) => v <= r);
    case '>':
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'number' ? (v > r ? TRUE : FALSE) : general(ev);
      };
    case '>=':
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'number' ? (v >= r ? TRUE : FALSE) : general(ev);
      };
    default:
      return undefined;
  }
}
