/**
 * Parses a condition text that differs from one already parsed only between the parentheses of one
 * list literal, as when a list it expands gained or lost items: that literal is parsed again, the
 * nodes before it are kept and the nodes after it are copied with their spans moved. The result is
 * what parseCondition gives for the new text, node for node and span for span: the parser decides
 * nothing before a literal from text inside it, the literal must parse to its old closing
 * parenthesis, and what follows is the same text the old parse accepted. Any other change gives
 * undefined, and the caller parses the text.
 */
import type { Expr, ListLiteral, Span } from './ast.js';
import type { ConditionNode } from './walk.js';
import { DEFAULT_MAX_DEPTH } from './parser.js';
import { createParserState } from './parser-state.js';
import { parseListLiteral } from './parse-operand.js';

export interface Reparsed {
  expr: Expr;
  /** Expressions after the literal and the copies that replace them (none when the length is unchanged: they are kept). */
  moved: [Expr, Expr][];
  /** How far everything after the literal moved. */
  delta: number;
}

export function reparseListChange(before: string, parsed: Expr, after: string): Reparsed | undefined {
  const shortest = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const changedEnd = before.length - suffix;
  const literal = listAround(parsed, prefix, changedEnd);
  if (literal === undefined || literal.items.length === 0) return undefined;
  const delta = after.length - before.length;
  const fresh = parseLiteralIn(after, literal);
  if (fresh === undefined || fresh.span.end !== literal.span.end + delta) return undefined;
  return withNewLiteral(parsed, literal, fresh, prefix, changedEnd);
}

/** `literal` parsed again where it starts in `text`, or undefined when it no longer parses there. */
export function parseLiteralIn(text: string, literal: ListLiteral): ListLiteral | undefined {
  // a literal that had items passed the parser's depth check for items, so a fresh one at depth 0 answers as it would
  const p = createParserState(text, DEFAULT_MAX_DEPTH);
  p.pos = literal.span.start + 1;
  const fresh = parseListLiteral(p, 0, literal.span.start);
  return fresh === undefined || p.error !== undefined ? undefined : fresh;
}

/**
 * `parsed` with `literal` replaced by `fresh`: nodes ending by `prefix` are kept, those starting at
 * `changedEnd` or later are copied with their spans moved by how much the literal grew, and the
 * ones around the literal are rebuilt; undefined when the literal is not a check's list.
 */
export function withNewLiteral(parsed: Expr, literal: ListLiteral, fresh: ListLiteral, prefix: number, changedEnd: number): Reparsed | undefined {
  const delta = fresh.span.end - literal.span.end;
  const moved: [Expr, Expr][] = [];
  const rebuild = (node: Expr): Expr | undefined => {
    if (node.span.end <= prefix) return node;
    if (node.span.start >= changedEnd) return delta === 0 ? node : moveExpr(node, delta, moved);
    const span = { start: node.span.start, end: node.span.end + delta };
    switch (node.kind) {
      case 'and':
      case 'or': {
        const operands: Expr[] = [];
        for (const operand of node.operands) {
          const rebuilt = rebuild(operand);
          if (rebuilt === undefined) return undefined;
          operands.push(rebuilt);
        }
        return { ...node, operands, span };
      }
      case 'not': {
        const operand = rebuild(node.operand);
        return operand && { ...node, operand, span };
      }
      case 'binary-check':
        return node.right === literal ? { ...node, right: fresh, span } : undefined;
      default:
        return undefined;
    }
  };
  const expr = rebuild(parsed);
  return expr && { expr, moved, delta };
}

/** The list literal whose parentheses enclose [start, end). */
export function listAround(expr: Expr, start: number, end: number): ListLiteral | undefined {
  if (expr.span.start >= start || expr.span.end < end) return undefined;
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const operand of expr.operands) {
        const found = listAround(operand, start, end);
        if (found) return found;
      }
      return undefined;
    case 'not':
      return listAround(expr.operand, start, end);
    case 'binary-check': {
      const right = expr.right;
      return right.kind === 'list' && right.span.start < start && end <= right.span.end - 1 ? right : undefined;
    }
    default:
      return undefined;
  }
}

/** `moveNode` for an expression, each expression in it listed with its copy. */
function moveExpr(expr: Expr, delta: number, moved: [Expr, Expr][]): Expr {
  let copy: Expr;
  switch (expr.kind) {
    case 'and':
    case 'or':
      copy = { ...expr, operands: expr.operands.map((o) => moveExpr(o, delta, moved)), span: movedSpan(expr.span, delta) };
      break;
    case 'not':
      copy = { ...expr, operand: moveExpr(expr.operand, delta, moved), span: movedSpan(expr.span, delta) };
      break;
    default:
      copy = moveNode(expr, delta);
  }
  moved.push([expr, copy]);
  return copy;
}

/** `span` moved by `delta`. */
export function movedSpan(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}

/** A copy with every span moved by `delta`; spreading keeps keys and their order, so shapes stay as they are. */
function moveNode<T extends ConditionNode>(node: T, delta: number): T {
  const span = movedSpan(node.span, delta);
  const moved: ConditionNode = node;
  switch (moved.kind) {
    case 'value':
    case 'field':
    case 'macro-ref':
      return { ...node, span };
    case 'list':
    case 'transformer-list':
      return { ...node, items: (moved.items as ConditionNode[]).map((item) => moveNode(item, delta)), span };
    case 'transformer':
      return { ...node, args: moved.args.map((arg) => moveNode(arg, delta)), span };
    case 'unary-check':
      return { ...node, left: moveNode(moved.left, delta), span };
    case 'binary-check':
      return { ...node, left: moveNode(moved.left, delta), right: moveNode(moved.right, delta), span };
    case 'and':
    case 'or':
    case 'not':
      throw new Error('moveNode is for checks and operands; moveExpr moves junctions');
  }
}
