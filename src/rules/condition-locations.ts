/**
 * Where a problem inside a condition is in the YAML source. The text the parser saw can differ from
 * what was written (exceptions wrap it, lists are substituted, appends join scalars from several files,
 * quoting and folding move characters), so a token's exact line and column are given only when that
 * text is the merged condition and the offset falls in a segment that maps 1:1 onto its source line.
 */
import type { Loc } from '../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';
import type { TextSegment } from './model.js';

/** The segment an offset falls in, by today's rule: the last one starting at or before it. */
export function locateOffset(segments: readonly TextSegment[], offset: number, fallback: Loc, textChanged: boolean): Loc {
  if (segments.length === 0) return fallback;
  if (textChanged) return segments[0].loc;
  let segment = segments[0];
  for (const s of segments) if (s.offset <= offset) segment = s;
  return segment.loc;
}

/**
 * The line and column of `offset` in `text` (the text the parser saw), or undefined unless `text` is
 * the merged `condition` and the offset lies within (or just past) a segment with a `textColumn`.
 */
export function exactOffsetLoc(segments: readonly TextSegment[], condition: string, text: string, offset: number): Loc | undefined {
  if (text !== condition || offset < 0 || offset > text.length) return undefined;
  let index = -1;
  for (let i = 0; i < segments.length; i++) if (segments[i].offset <= offset) index = i;
  const segment = segments[index];
  if (!segment || segment.textColumn === undefined) return undefined;
  // Appended pieces are joined with one space, which belongs to no scalar.
  const end = index + 1 < segments.length ? segments[index + 1].offset - 1 : text.length;
  if (offset > end) return undefined;
  return { file: segment.loc.file, line: segment.loc.line, column: segment.textColumn + offset - segment.offset };
}

/** The first leaf, left to right, for which `fails` holds: the order validateFilter reports in. */
export function firstFailingLeaf(expr: Expr, fails: (leaf: Expr) => boolean): Expr | undefined {
  if (expr.kind === 'and' || expr.kind === 'or') {
    for (const operand of expr.operands) {
      const found = firstFailingLeaf(operand, fails);
      if (found) return found;
    }
    return undefined;
  }
  if (expr.kind === 'not') return firstFailingLeaf(expr.operand, fails);
  return fails(expr) ? expr : undefined;
}

/** Every node of a tree as parsed: a leaf found in the expanded tree is the condition's own when it is here. */
export function nodesOf(expr: Expr, into: Set<Expr> = new Set()): Set<Expr> {
  into.add(expr);
  if (expr.kind === 'and' || expr.kind === 'or') for (const operand of expr.operands) nodesOf(operand, into);
  else if (expr.kind === 'not') nodesOf(expr.operand, into);
  return into;
}
