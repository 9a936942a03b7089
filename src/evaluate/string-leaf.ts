import type { BinaryOperator } from '../condition/ast.js';
import type { FieldValue } from './event.js';
import type { EventRow } from './operand.js';
import { FALSE, TRUE, UNKNOWN, type Truth } from './truth.js';

type Pred = (ev: unknown) => Truth;

/**
 * The hottest checks of real rulesets (string `=`, `!=`, `in`, `startswith`, `endswith`, `contains` on a plain field) as
 * one closure each, without the generic value-test call; other values fall back to the general path.
 */
export function compileStringLeaf(op: BinaryOperator, items: string[], listy: boolean, slot: number): Pred | undefined {
  const slow = (v: FieldValue | undefined, test: (s: string) => boolean): Truth => {
    if (v === undefined) return UNKNOWN;
    if (v === null) return FALSE;
    if (typeof v === 'object') {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (test(typeof x === 'string' ? x : String(x))) return TRUE;
      }
      return FALSE;
    }
    return test(String(v)) ? TRUE : FALSE;
  };
  if ((op === 'in' || op === 'intersects') && listy) {
    const set = new Set(items);
    const test = (s: string) => set.has(s);
    return (ev) => {
      const v = (ev as EventRow)[slot];
      return typeof v === 'string' ? (set.has(v) ? TRUE : FALSE) : slow(v, test);
    };
  }
  if (listy) return undefined;
  const rhs = items[0];
  switch (op) {
    case '=':
    case '==': {
      const test = (s: string) => s === rhs;
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'string' ? (v === rhs ? TRUE : FALSE) : slow(v, test);
      };
    }
    case '!=': {
      const test = (s: string) => s !== rhs;
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'string' ? (v !== rhs ? TRUE : FALSE) : slow(v, test);
      };
    }
    case 'startswith': {
      const test = (s: string) => s.startsWith(rhs);
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'string' ? (v.startsWith(rhs) ? TRUE : FALSE) : slow(v, test);
      };
    }
    case 'endswith': {
      const test = (s: string) => s.endsWith(rhs);
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'string' ? (v.endsWith(rhs) ? TRUE : FALSE) : slow(v, test);
      };
    }
    case 'contains': {
      const test = (s: string) => s.includes(rhs);
      return (ev) => {
        const v = (ev as EventRow)[slot];
        return typeof v === 'string' ? (v.includes(rhs) ? TRUE : FALSE) : slow(v, test);
      };
    }
    default:
      return undefined;
  }
}
