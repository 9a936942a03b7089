/**
 * The Falco condition parser: libsinsp's recursive descent (filter/parser.cpp), production by
 * production, with its whitespace rules, error words and depth limit (§5).
 *
 *   Expr        ::= Or
 *   Or          ::= And { _ "or" ( __ And | "(" _ Expr _ ")" ) }
 *   And         ::= Not { _ "and" ( __ Not | "(" _ Expr _ ")" ) }
 *   Not         ::= _ { "not" WS+ } ( "not(" _ Expr _ ")" | Check )      ; each "not" toggles
 *   Check       ::= _ ( "(" _ Expr _ ")" | Field Cond | Transformer Cond | IDENT )
 *   Cond        ::= _ "exists" | _ NUMOP _ NumValue | _ STROP [ MOD ] _ StrValue | _ LISTOP _ ListValue
 *
 * Operands (fields, transformers, values, lists) are in parse-operand.ts.
 */
import type { BinaryOperator, Expr, FieldOperand, NumericOperator, StringOperator, ListOperator } from './ast.js';
import { isBlank, scanIdentifier, scanNotKeyword } from './lexer.js';
import {
  lexFieldName,
  lexTransformerType,
  parseFieldRemainder,
  parseListValue,
  parseModifierForm,
  parseNumValue,
  parseStrValue,
  parseTransformerRemainder,
} from './parse-operand.js';
import { createParserState, exceedsDepth, fail, lastToken, lexBlank, lexWord, take, type ConditionSyntaxError, type ParserState } from './parser-state.js';

export type { ConditionSyntaxError } from './parser-state.js';

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ConditionSyntaxError };

export interface ParseOptions {
  /** Recursion depth limit; Falco sets 1000 (the libs default is 100). */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 1000;

/** Parses a condition as Falco does (after list substitution and exceptions, before macro expansion). */
export function parseCondition(text: string, options: ParseOptions = {}): ParseResult {
  if (text.length === 0) return { ok: false, error: { message: 'filter input string is empty', offset: 0 } };
  const p = createParserState(text, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  const expr = parseOr(p, 0);
  if (!expr) return { ok: false, error: p.error ?? { message: 'parser fatal error', offset: p.pos } };
  if (p.pos !== text.length) {
    return { ok: false, error: { message: `unexpected token after '${lastToken(p)}', expecting 'or', 'and'`, offset: p.pos } };
  }
  return { ok: true, expr };
}

type Operand = (p: ParserState, depth: number) => Expr | undefined;

/** `Or` and `And`: n-ary, a parenthesised group after the keyword stays one child. */
function parseJunction(p: ParserState, depth: number, keyword: 'or' | 'and', operand: Operand): Expr | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const first = operand(p, d);
  if (!first) return undefined;
  const operands: Expr[] = [first];
  lexBlank(p);
  while (lexWord(p, keyword)) {
    let child: Expr | undefined;
    if (lexBlank(p)) {
      child = operand(p, d);
    } else {
      const open = p.pos;
      if (!lexWord(p, '(')) return fail(p, `expected blank or '(' after '${keyword}'`);
      child = parseEmbeddedRemainder(p, d, open);
    }
    if (!child) return undefined;
    operands.push(child);
    lexBlank(p);
  }
  if (operands.length === 1) return first;
  return { kind: keyword, operands, span: { start: first.span.start, end: operands[operands.length - 1].span.end } };
}

/**
 * parseCondition of `text`, given the first operands of its top-level `And` (`kept`, parsed from
 * the same text, which is unchanged before `from`) and where the next one starts, after `and` and a
 * blank: the rest is parsed as parseJunction parses it. Undefined unless the text is one `And`
 * from there on (an `or` after it, or any error): the caller then parses the whole text.
 */
export function parseAndContinuation(text: string, kept: readonly Expr[], from: number): Expr | undefined {
  const p = createParserState(text, DEFAULT_MAX_DEPTH);
  p.pos = from;
  // the depths parseCondition reaches here: parseOr (0) → its junction (1) → parseAnd (1) → its junction (2)
  const d = 2;
  const operands = [...kept];
  let child = parseNot(p, d);
  while (child) {
    operands.push(child);
    lexBlank(p);
    if (!lexWord(p, 'and')) break;
    if (lexBlank(p)) {
      child = parseNot(p, d);
    } else {
      const open = p.pos;
      child = lexWord(p, '(') ? parseEmbeddedRemainder(p, d, open) : undefined;
    }
  }
  if (!child || p.error !== undefined || p.pos !== text.length) return undefined;
  return { kind: 'and', operands, span: { start: operands[0].span.start, end: operands[operands.length - 1].span.end } };
}

function parseOr(p: ParserState, depth: number): Expr | undefined {
  return parseJunction(p, depth, 'or', parseAnd);
}

function parseAnd(p: ParserState, depth: number): Expr | undefined {
  return parseJunction(p, depth, 'and', parseNot);
}

function parseNot(p: ParserState, depth: number): Expr | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const start = p.pos;
  let negated = false;
  for (let end = scanNotKeyword(p.text, p.pos); end >= 0; end = scanNotKeyword(p.text, p.pos)) {
    take(p, end);
    negated = !negated;
  }
  let child: Expr | undefined;
  if (lexWord(p, 'not(')) {
    negated = !negated;
    child = parseEmbeddedRemainder(p, d, p.pos - 1);
  } else {
    child = parseCheck(p, d);
  }
  if (!child || !negated) return child;
  return { kind: 'not', operand: child, span: { start, end: child.span.end } };
}

/** The rest of `( Expr )` after its `(` at `open`; the node's span is widened over the parentheses. */
function parseEmbeddedRemainder(p: ParserState, depth: number, open: number): Expr | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const child = parseOr(p, d);
  if (!child) return undefined;
  lexBlank(p);
  if (!lexWord(p, ')')) return fail(p, "expected a ')' token");
  child.span = { start: open, end: p.pos };
  return child;
}

function parseCheck(p: ParserState, depth: number): Expr | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const start = p.pos;
  if (lexWord(p, '(')) return parseEmbeddedRemainder(p, d, start);
  const field = lexFieldName(p);
  if (field !== undefined) {
    const left = parseFieldRemainder(p, d, field, start);
    return left && parseCheckCondition(p, d, left);
  }
  const transformer = lexTransformerType(p);
  if (transformer) {
    lexBlank(p);
    const left = parseTransformerRemainder(p, d, transformer, start);
    return left && parseCheckCondition(p, d, left);
  }
  const end = scanIdentifier(p.text, p.pos);
  if (end >= 0) {
    take(p, end);
    return { kind: 'macro-ref', name: p.text.slice(start, end), span: { start, end } };
  }
  return fail(p, "expected a '(' token, a field check, or an identifier");
}

const NUMERIC_OPERATORS: readonly NumericOperator[] = ['<=', '<', '>=', '>'];
/** `true` marks word operators, which need a blank after them. */
const STRING_OPERATORS: readonly (readonly [StringOperator, boolean])[] = [
  ['==', false],
  ['=', false],
  ['!=', false],
  ['glob', true],
  ['iglob', true],
  ['contains', true],
  ['icontains', true],
  ['bcontains', true],
  ['startswith', true],
  ['bstartswith', true],
  ['endswith', true],
  ['regex', true],
];
const LIST_OPERATORS: readonly ListOperator[] = ['intersects', 'in', 'pmatch'];
const OPERATOR_LIST = ['exists', ...NUMERIC_OPERATORS, ...STRING_OPERATORS.map(([op]) => op), ...LIST_OPERATORS].map((op) => `'${op}'`).join(', ');

/**
 * `lex_helper_operator_list` over the string operators: a word operator matched without a blank
 * after it consumes the word and stops the search (so `containsx` is no operator at all).
 */
function lexStringOperator(p: ParserState): { op: StringOperator; word: boolean } | undefined {
  for (const [op, word] of STRING_OPERATORS) {
    if (!lexWord(p, op)) continue;
    return !word || lexBlank(p) ? { op, word } : undefined;
  }
  return undefined;
}

function lexFrom<T extends string>(p: ParserState, ops: readonly T[]): T | undefined {
  return ops.find((op) => lexWord(p, op));
}

function parseCheckCondition(p: ParserState, depth: number, left: FieldOperand): Expr | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  const start = left.span.start;
  lexBlank(p);
  if (lexWord(p, 'exists')) return { kind: 'unary-check', left, op: 'exists', span: { start, end: p.pos } };
  let op: BinaryOperator | undefined = lexFrom(p, NUMERIC_OPERATORS);
  if (op) {
    const right = parseNumValue(p, d);
    return right && { kind: 'binary-check', left, op, right, span: { start, end: p.pos } };
  }
  const stringOp = lexStringOperator(p);
  if (stringOp) {
    const blankAfter = stringOp.word || isBlankAt(p);
    const modified = parseModifierForm(p, d, blankAfter);
    if (modified) {
      const { modifier, right } = modified;
      return { kind: 'binary-check', left, op: stringOp.op, modifier, right, span: { start, end: p.pos } };
    }
    if (p.error) return undefined;
    const right = parseStrValue(p, d);
    return right && { kind: 'binary-check', left, op: stringOp.op, right, span: { start, end: p.pos } };
  }
  op = lexFrom(p, LIST_OPERATORS);
  if (op) {
    const right = parseListValue(p, d);
    return right && { kind: 'binary-check', left, op, right, span: { start, end: p.pos } };
  }
  return fail(p, `expected a valid check operator: one of ${OPERATOR_LIST}`);
}

function isBlankAt(p: ParserState): boolean {
  return isBlank(p.text.charCodeAt(p.pos));
}
