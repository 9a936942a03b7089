import { flattenGroups, parseCondition, printCanonical } from '../condition/index.js';

/**
 * Whether Falco's text append (`theirs + " " + clause`, no parentheses added, §2.2) means the same
 * as `(theirs) <clause>`: true unless theirs ends in a looser operator than the clause starts with.
 * Compared on the parsed trees with nested same-operator groups flattened.
 */
export function appendKeepsMeaning(theirs: string, clause: string): boolean {
  const joined = parseCondition(`${theirs} ${clause}`);
  const grouped = parseCondition(`(${theirs}) ${clause}`);
  if (!joined.ok || !grouped.ok) return false;
  return printCanonical(flattenGroups(joined.expr)) === printCanonical(flattenGroups(grouped.expr));
}
