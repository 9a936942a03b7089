import { parseCondition, printCanonical, type Expr } from '../condition/index.js';

/**
 * Whether Falco's text append (`theirs + " " + clause`, no parentheses added, §2.2) means the same
 * as `(theirs) <clause>`: true unless theirs ends in a looser operator than the clause starts with.
 * Compared on the parsed trees with nested same-operator groups flattened.
 */
export function appendKeepsMeaning(theirs: string, clause: string): boolean {
  const joined = parseCondition(`${theirs} ${clause}`);
  const grouped = parseCondition(`(${theirs}) ${clause}`);
  if (!joined.ok || !grouped.ok) return false;
  return printCanonical(flatten(joined.expr)) === printCanonical(flatten(grouped.expr));
}

/** The same condition, whitespace and redundant same-operator grouping aside. */
export function sameCondition(a: string, b: string): boolean {
  const pa = parseCondition(a);
  const pb = parseCondition(b);
  if (!pa.ok || !pb.ok) return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
  return printCanonical(flatten(pa.expr)) === printCanonical(flatten(pb.expr));
}

function flatten(e: Expr): Expr {
  switch (e.kind) {
    case 'and':
    case 'or': {
      const operands: Expr[] = [];
      for (const o of e.operands.map(flatten)) {
        if (o.kind === e.kind) operands.push(...o.operands);
        else operands.push(o);
      }
      return { ...e, operands };
    }
    case 'not':
      return { ...e, operand: flatten(e.operand) };
    default:
      return e;
  }
}
