/**
 * A sufficient, structural test that one condition implies another, used by replay to carry what
 * the base proved over to a candidate that widened it (a list grown by an append, an extra `or`
 * branch): if `a` held for an alert and `a` implies `b`, then `b` held too. It never claims an
 * implication that does not hold; it may miss some that do.
 */
import type { BinaryCheck, Expr } from '../condition/ast.js';
import { structuralKey } from './structural-key.js';

const SET_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

export function implies(a: Expr, b: Expr, memo: WeakMap<Expr, string>, depth = 0): boolean {
  if (structuralKey(a, memo) === structuralKey(b, memo)) return true;
  if (depth > 64) return false;
  const next = depth + 1;
  // a ⇒ (b1 or …) when a implies one branch; (a1 or …) ⇒ b when every branch implies b.
  if (b.kind === 'or' && b.operands.some((o) => implies(a, o, memo, next))) return true;
  if (a.kind === 'or') return a.operands.every((o) => implies(o, b, memo, next));
  // (a1 and …) ⇒ b when one conjunct implies b; a ⇒ (b1 and …) when a implies every conjunct.
  if (b.kind === 'and') return b.operands.every((o) => implies(a, o, memo, next));
  if (a.kind === 'and') return a.operands.some((o) => implies(o, b, memo, next));
  if (a.kind === 'not' && b.kind === 'not') return implies(b.operand, a.operand, memo, next);
  if (a.kind === 'binary-check' && b.kind === 'binary-check') return checkImplies(a, b, memo);
  return false;
}

/** `f in (L)` ⇒ `f in (L')` when L ⊆ L' (likewise intersects and pmatch); `f = v` ⇒ `f in (…v…)` on a plain field. */
function checkImplies(a: BinaryCheck, b: BinaryCheck, memo: WeakMap<Expr, string>): boolean {
  if (a.modifier !== undefined || b.modifier !== undefined) return false;
  if (JSON.stringify(a.left, dropSpans) !== JSON.stringify(b.left, dropSpans)) return false;
  const items = (c: BinaryCheck): string[] | undefined =>
    c.right.kind === 'list' ? c.right.items.map((i) => i.value) : c.right.kind === 'value' ? [c.right.value] : undefined;
  const from = items(a);
  const to = items(b);
  if (!from || !to) return false;
  const sameSetOp = a.op === b.op && SET_OPERATORS.has(a.op);
  const equalsToIn = (a.op === '=' || a.op === '==') && b.op === 'in' && a.left.kind === 'field' && a.right.kind === 'value';
  if (!sameSetOp && !equalsToIn) return false;
  const target = new Set(to);
  void memo;
  return from.every((v) => target.has(v));
}

function dropSpans(key: string, value: unknown): unknown {
  return key === 'span' ? undefined : value;
}
