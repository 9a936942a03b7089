import type { Expr } from './ast.js';
import { parseCondition } from './parser.js';
import { printCanonical } from './print-canonical.js';

/**
 * Whether two condition texts mean the same: equal canonical prints (§6) once nested same-operator
 * groups are flattened, so whitespace, spacing inside lists and redundant grouping do not count
 * while a changed quoted value does. Texts that do not parse compare by collapsed whitespace.
 */
export function sameCondition(a: string, b: string): boolean {
  const pa = parseCondition(a);
  const pb = parseCondition(b);
  if (!pa.ok || !pb.ok) return collapseWhitespace(a) === collapseWhitespace(b);
  return printCanonical(flattenGroups(pa.expr)) === printCanonical(flattenGroups(pb.expr));
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `a and (b and c)` as `a and b and c`: the same-operator nesting that grouping alone introduces. */
export function flattenGroups(e: Expr): Expr {
  switch (e.kind) {
    case 'and':
    case 'or': {
      const operands: Expr[] = [];
      for (const o of e.operands.map(flattenGroups)) {
        if (o.kind === e.kind) operands.push(...o.operands);
        else operands.push(o);
      }
      return { ...e, operands };
    }
    case 'not':
      return { ...e, operand: flattenGroups(e.operand) };
    default:
      return e;
  }
}
