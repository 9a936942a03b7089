/**
 * Parsing a condition from the parse of an earlier text of it, for the changes environments make:
 * a list it expands gained or lost items (reparse-list.ts), exceptions were appended or changed at
 * its end (the last operands of its top-level `and`), or both. The result is what parseCondition
 * gives for the new text, node for node and span for span; any other change gives undefined, and
 * the caller parses the text.
 */
import type { Expr } from './ast.js';
import { parseAndContinuation } from './parser.js';
import { isBlank } from './lexer.js';
import { listAround, parseLiteralIn, reparseListChange, withNewLiteral, type Reparsed } from './reparse-list.js';

export function reparseChange(before: string, parsed: Expr, after: string): Reparsed | undefined {
  const inList = reparseListChange(before, parsed, after);
  if (inList) return inList;
  if (parsed.kind !== 'and' || !isWholeCondition(before, parsed)) return undefined;
  const prefix = commonPrefix(before, after);
  const tail = continueAfter(parsed, after, prefix);
  if (tail) return { expr: tail, moved: [], delta: 0 };
  return listThenTail(before, parsed, after, prefix);
}

/**
 * A list literal changed inside an early operand, and operands after it changed too: the literal
 * is parsed again in the new text, and the operands from the first one after it are parsed from
 * the new text.
 */
function listThenTail(before: string, parsed: Expr & { kind: 'and' }, after: string, prefix: number): Reparsed | undefined {
  const literal = listAround(parsed, prefix, prefix);
  if (literal === undefined || literal.items.length === 0) return undefined;
  const fresh = parseLiteralIn(after, literal);
  if (fresh === undefined) return undefined;
  const delta = fresh.span.end - literal.span.end;
  const next = parsed.operands.find((o) => o.span.start >= literal.span.end);
  if (next === undefined) return undefined;
  // unchanged from the literal's end to that operand: only the operands from there on changed
  const between = before.slice(literal.span.end, next.span.start);
  if (after.slice(fresh.span.end, fresh.span.end + between.length) !== between) return undefined;
  const head = withNewLiteral(parsed, literal, fresh, prefix, literal.span.end);
  if (!head || head.expr.kind !== 'and') return undefined;
  const expr = continueAfter(head.expr, after, next.span.start + delta);
  return expr && { expr, moved: head.moved, delta: head.delta };
}

/**
 * The top-level `and` of `after`, whose text is the same as the parsed one's up to `unchangedTo`:
 * the last operand (not the first) starting there or before, and those after it, are parsed from
 * `after`; the operands before it are kept.
 */
function continueAfter(parsed: Expr & { kind: 'and' }, after: string, unchangedTo: number): Expr | undefined {
  let cut = -1;
  for (let at = 1; at < parsed.operands.length; at++) {
    const start = parsed.operands[at].span.start;
    if (start > unchangedTo) break;
    cut = at;
  }
  if (cut < 0) return undefined;
  const from = parsed.operands[cut].span.start;
  // entered after `and` and a blank, as parseAndContinuation continues (not `and(`)
  if (!isBlank(after.charCodeAt(from - 1))) return undefined;
  return parseAndContinuation(after, parsed.operands.slice(0, cut), from);
}

/**
 * The `and` is the condition's top level: only blanks around it, and its span is its operands'
 * (a parenthesised group's is widened over its parentheses).
 */
function isWholeCondition(text: string, expr: Expr & { kind: 'and' }): boolean {
  const blank = (s: string) => [...s].every((c) => isBlank(c.charCodeAt(0)));
  return (
    expr.span.start === expr.operands[0].span.start &&
    expr.span.end === expr.operands[expr.operands.length - 1].span.end &&
    blank(text.slice(0, expr.span.start)) &&
    blank(text.slice(expr.span.end))
  );
}

function commonPrefix(a: string, b: string): number {
  const shortest = Math.min(a.length, b.length);
  let at = 0;
  while (at < shortest && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}
