/** A key equal for two sub-expressions exactly when they are the same tree, spans aside. */
import type { Expr } from '../condition/ast.js';

export function structuralKey(expr: Expr, memo: WeakMap<Expr, string>): string {
  const hit = memo.get(expr);
  if (hit !== undefined) return hit;
  let key: string;
  switch (expr.kind) {
    case 'and':
    case 'or':
      key = `${expr.kind}(${expr.operands.map((e) => structuralKey(e, memo)).join(',')})`;
      break;
    case 'not':
      key = `not(${structuralKey(expr.operand, memo)})`;
      break;
    default:
      key = JSON.stringify(expr, (k, v: unknown) => (k === 'span' ? undefined : v));
  }
  memo.set(expr, key);
  return key;
}
