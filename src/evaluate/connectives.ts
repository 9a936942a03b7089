/**
 * `and` and `or` over compiled predicates in Kleene logic, left to right with Falco's short circuit
 * (`and` stops at the first false operand, `or` at the first true one), and the constants that
 * folding a condition for a known event type produces.
 */
import { FALSE, TRUE, UNKNOWN, type Truth } from './truth.js';

type Pred = (ev: unknown) => Truth;

/** The constant predicates folding produces (compared by identity). */
export const ALWAYS_TRUE: Pred = () => TRUE;
export const ALWAYS_FALSE: Pred = () => FALSE;

// Folding drops operands whose value is known and cannot decide the result; the others keep their order.
export function compileAnd(operands: Pred[]): Pred {
  if (operands.includes(ALWAYS_FALSE)) return ALWAYS_FALSE;
  const ps = operands.filter((p) => p !== ALWAYS_TRUE);
  if (ps.length === 0) return ALWAYS_TRUE;
  if (ps.length === 1) return ps[0];
  if (ps.length === 2) {
    const [a, b] = ps as [Pred, Pred];
    return (ev) => {
      const x = a(ev);
      if (x === FALSE) return FALSE;
      const y = b(ev);
      if (y === FALSE) return FALSE;
      return x === TRUE && y === TRUE ? TRUE : UNKNOWN;
    };
  }
  if (ps.length === 3) {
    const [a, b, c] = ps as [Pred, Pred, Pred];
    return (ev) => {
      const x = a(ev);
      if (x === FALSE) return FALSE;
      const y = b(ev);
      if (y === FALSE) return FALSE;
      const z = c(ev);
      if (z === FALSE) return FALSE;
      return x === TRUE && y === TRUE && z === TRUE ? TRUE : UNKNOWN;
    };
  }
  return (ev) => {
    let r: Truth = TRUE;
    for (let i = 0; i < ps.length; i++) {
      const t = ps[i](ev);
      if (t === FALSE) return FALSE;
      if (t === UNKNOWN) r = UNKNOWN;
    }
    return r;
  };
}

export function compileOr(operands: Pred[]): Pred {
  if (operands.includes(ALWAYS_TRUE)) return ALWAYS_TRUE;
  const ps = operands.filter((p) => p !== ALWAYS_FALSE);
  if (ps.length === 0) return ALWAYS_FALSE;
  if (ps.length === 1) return ps[0];
  if (ps.length === 2) {
    const [a, b] = ps as [Pred, Pred];
    return (ev) => {
      const x = a(ev);
      if (x === TRUE) return TRUE;
      const y = b(ev);
      if (y === TRUE) return TRUE;
      return x === FALSE && y === FALSE ? FALSE : UNKNOWN;
    };
  }
  if (ps.length === 3) {
    const [a, b, c] = ps as [Pred, Pred, Pred];
    return (ev) => {
      const x = a(ev);
      if (x === TRUE) return TRUE;
      const y = b(ev);
      if (y === TRUE) return TRUE;
      const z = c(ev);
      if (z === TRUE) return TRUE;
      return x === FALSE && y === FALSE && z === FALSE ? FALSE : UNKNOWN;
    };
  }
  return (ev) => {
    let r: Truth = FALSE;
    for (let i = 0; i < ps.length; i++) {
      const t = ps[i](ev);
      if (t === TRUE) return TRUE;
      if (t === UNKNOWN) r = UNKNOWN;
    }
    return r;
  };
}
