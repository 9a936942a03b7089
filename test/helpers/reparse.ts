/** Comparing a condition parsed from an earlier parse with parseCondition's parse of it. */
import { parseCondition, type Expr, type Reparsed } from '../../src/condition/index.js';

export function parsed(text: string): Expr {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`does not parse: ${text}`);
  return result.expr;
}

/** The new text's parse, whichever way it was made, as comparable text (spans and key order included). */
export function asFullParse(
  reparse: (before: string, parsed: Expr, after: string) => Reparsed | undefined,
  before: string,
  after: string,
): { reparsed: string | undefined; full: string } {
  const reparsed = reparse(before, parsed(before), after);
  const full = parseCondition(after);
  return { reparsed: reparsed && JSON.stringify(reparsed.expr), full: JSON.stringify(full.ok ? full.expr : full.error) };
}
