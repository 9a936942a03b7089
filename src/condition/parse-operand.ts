/**
 * The operand productions of the filter grammar (§5.2): fields, transformers, values and lists.
 * Each guarded production takes the depth of its caller, as libsinsp's depth guard counts it.
 */
import type { FieldRef, ListLiteral, Literal, Transformer, TransformerArg, TransformerList, TransformerName } from './ast.js';
import { isBlank, scanFieldName, scanIdentifier, scanBareString, scanNumeric } from './lexer.js';
import { exceedsDepth, fail, lexBlank, lexQuoted, lexWord, parseBracketArg, take, type ParserState } from './parser-state.js';

const TRANSFORMER_NAMES: readonly TransformerName[] = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'];
const TRANSFORMER_TOKENS = TRANSFORMER_NAMES.map((name) => `${name}(`);
const TRANSFORMER_LIST = ['val', ...TRANSFORMER_NAMES].map((name) => `'${name}'`).join(', ');

/** `TNAME(`: the transformer name (the `(` is consumed, the last token is the name). */
export function lexTransformerType(p: ParserState): TransformerName | undefined {
  for (let i = 0; i < TRANSFORMER_TOKENS.length; i++) {
    if (lexWord(p, TRANSFORMER_TOKENS[i])) {
      p.lastEnd--;
      return TRANSFORMER_NAMES[i];
    }
  }
  return undefined;
}

/** `FIELDNAME`: the field's name, consumed. */
export function lexFieldName(p: ParserState): string | undefined {
  const end = scanFieldName(p.text, p.pos);
  if (end < 0) return undefined;
  take(p, end);
  return p.text.slice(p.lastStart, end);
}

function lexValue(p: ParserState, scan: (text: string, pos: number) => number): Literal | undefined {
  const start = p.pos;
  const end = scan(p.text, start);
  if (end < 0) return undefined;
  take(p, end);
  return { kind: 'value', value: p.text.slice(start, end), span: { start, end } };
}

function lexQuotedValue(p: ParserState): Literal | undefined | null {
  const start = p.pos;
  const value = lexQuoted(p);
  if (value === undefined || value === null) return value;
  return { kind: 'value', value, span: { start, end: p.pos } };
}

/** `parse_field_remainder`: the optional `[arg]` after a field name that was just consumed. */
export function parseFieldRemainder(p: ParserState, depth: number, name: string, start: number): FieldRef | undefined {
  if (exceedsDepth(p, depth + 1)) return undefined;
  const bracket = parseBracketArg(p);
  if (!bracket) return undefined;
  const field: FieldRef = { kind: 'field', name, span: { start, end: p.pos } };
  if (bracket.arg !== undefined) field.arg = bracket.arg;
  return field;
}

/** `TArg { , TArg } ) [ [arg] ]` after `TNAME(`. */
export function parseTransformerRemainder(p: ParserState, depth: number, name: TransformerName, start: number): Transformer | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const args: TransformerArg[] = [];
  do {
    const arg = parseTransformerArg(p, d);
    if (!arg) return undefined;
    args.push(arg);
    lexBlank(p);
  } while (lexWord(p, ','));
  lexBlank(p);
  if (!lexWord(p, ')')) return fail(p, "expected a ')' token closing the transformer");
  return finishTransformer(p, name, args, start);
}

function finishTransformer(p: ParserState, name: TransformerName | 'val', args: TransformerArg[], start: number): Transformer | undefined {
  const bracket = parseBracketArg(p);
  if (!bracket) return undefined;
  const transformer: Transformer = { kind: 'transformer', name, args, span: { start, end: p.pos } };
  if (bracket.arg !== undefined) transformer.arg = bracket.arg;
  return transformer;
}

/** `TArg ::= HEXNUM | NUMBER | QUOTED | TList | Transformer | Field`, tried in libsinsp's order. */
function parseTransformerArg(p: ParserState, depth: number): TransformerArg | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const start = p.pos;
  const number = lexValue(p, scanNumeric);
  if (number) return number;
  const quoted = lexQuotedValue(p);
  if (quoted !== undefined) return quoted ?? undefined;
  if (lexWord(p, '(')) return parseTransformerList(p, d, start);
  const transformer = lexTransformerType(p);
  if (transformer) return parseTransformerRemainder(p, d, transformer, start);
  const field = lexFieldName(p);
  if (field !== undefined) return parseFieldRemainder(p, d, field, start);
  return fail(p, 'expected field transformer argument: field, transformer, quoted string, number, or transformer list');
}

/** `TList ::= "(" [ TLArg { "," TLArg } ] ")"` after the `(`; not depth-guarded in libsinsp. */
function parseTransformerList(p: ParserState, depth: number, start: number): TransformerList | undefined {
  const items: TransformerList['items'] = [];
  lexBlank(p);
  if (!lexWord(p, ')')) {
    do {
      lexBlank(p);
      const item = parseTransformerListArg(p, depth);
      if (!item) return undefined;
      items.push(item);
      lexBlank(p);
    } while (lexWord(p, ','));
    if (!lexWord(p, ')')) return fail(p, "expected ')'");
  }
  return { kind: 'transformer-list', items, span: { start, end: p.pos } };
}

function parseTransformerListArg(p: ParserState, depth: number): FieldRef | Transformer | Literal | undefined {
  const start = p.pos;
  const field = lexFieldName(p);
  if (field !== undefined) return parseFieldRemainder(p, depth, field, start);
  const transformer = lexTransformerType(p);
  if (transformer) {
    lexBlank(p);
    return parseTransformerRemainder(p, depth, transformer, start);
  }
  const quoted = lexQuotedValue(p);
  if (quoted !== undefined) return quoted ?? undefined;
  const number = lexValue(p, scanNumeric);
  if (number) return number;
  return fail(p, 'expected transformer list argument: field, transformer, quoted string, or number');
}

/** `val(field)` or a transformer on the right-hand side; `undefined` without error when neither. */
function tryTransformerOrVal(p: ParserState, depth: number): Transformer | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const start = p.pos;
  if (lexWord(p, 'val(')) {
    p.lastEnd--;
    lexBlank(p);
    const fieldStart = p.pos;
    const name = lexFieldName(p);
    if (name === undefined) return fail(p, "expected a field within 'val' transformer");
    const field = parseFieldRemainder(p, d, name, fieldStart);
    if (!field) return undefined;
    lexBlank(p);
    if (!lexWord(p, ')')) return fail(p, "expected a ')' token closing the transformer");
    return finishTransformer(p, 'val', [field], start);
  }
  const name = lexTransformerType(p);
  if (!name) return undefined;
  lexBlank(p);
  return parseTransformerRemainder(p, d, name, start);
}

export function parseNumValue(p: ParserState, depth: number): Literal | Transformer | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const transformer = tryTransformerOrVal(p, d);
  if (transformer || p.error) return transformer;
  return lexValue(p, scanNumeric) ?? fail(p, `expected a number value or a field with a valid transformer: ${TRANSFORMER_LIST}`);
}

export function parseStrValue(p: ParserState, depth: number): Literal | Transformer | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const transformer = tryTransformerOrVal(p, d);
  if (transformer || p.error) return transformer;
  return lexStringLiteral(p) ?? (p.error ? undefined : fail(p, `expected a string value or a field with a valid transformer: ${TRANSFORMER_LIST}`));
}

/** A list item: libsinsp's string value without transformers. */
function parseListItem(p: ParserState, depth: number): Literal | undefined {
  if (exceedsDepth(p, depth + 1)) return undefined;
  lexBlank(p);
  return lexStringLiteral(p) ?? (p.error ? undefined : fail(p, 'expected a string value'));
}

/** `QUOTED | BARESTR`; `undefined` with `error` set when a quoted string has a bad escape. */
function lexStringLiteral(p: ParserState): Literal | undefined {
  const quoted = lexQuotedValue(p);
  if (quoted !== undefined) return quoted ?? undefined;
  return lexValue(p, scanBareString);
}

/** `ListLit` after its `(`. A first item that fails leaves an empty list (libsinsp catches it). */
export function parseListLiteral(p: ParserState, depth: number, start: number): ListLiteral | undefined {
  const items: Literal[] = [];
  lexBlank(p);
  let item = parseListItem(p, depth);
  if (item === undefined) {
    p.error = undefined;
  } else {
    items.push(item);
    lexBlank(p);
    while (lexWord(p, ',')) {
      item = parseListItem(p, depth);
      if (!item) return undefined;
      items.push(item);
      lexBlank(p);
    }
  }
  if (!lexWord(p, ')')) return fail(p, "expected a ')' token");
  return { kind: 'list', items, span: { start, end: p.pos } };
}

export function parseListValue(p: ParserState, depth: number): ListLiteral | Literal | Transformer | undefined {
  const d = depth + 1;
  if (exceedsDepth(p, d)) return undefined;
  lexBlank(p);
  const start = p.pos;
  if (lexWord(p, '(')) return parseListLiteral(p, d, start);
  const transformer = tryTransformerOrVal(p, d);
  if (transformer || p.error) return transformer;
  return lexValue(p, scanIdentifier) ?? fail(p, `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMER_LIST}`);
}

const MODIFIERS = ['oneof', 'anyof', 'allof'] as const;
export type Modifier = (typeof MODIFIERS)[number];

/**
 * The modifier form `STROP __ MOD __ ( ListLit | IDENT )` (§5.2), tried right after a string
 * operator. Taken only when the operator was followed by a blank, the modifier word by a blank, and
 * the next token is `(` or an identifier other than `and`/`or`/`not`; otherwise nothing is consumed.
 */
export function parseModifierForm(
  p: ParserState,
  depth: number,
  blankAfterOperator: boolean,
): { modifier: Modifier; right: ListLiteral | Literal } | undefined {
  const text = p.text;
  const save = p.pos;
  if (!blankAfterOperator) return undefined;
  lexBlank(p);
  const wordStart = p.pos;
  const modifier = MODIFIERS.find((m) => text.startsWith(m, wordStart));
  if (modifier && isBlank(text.charCodeAt(wordStart + modifier.length))) {
    let next = wordStart + modifier.length;
    while (next < text.length && isBlank(text.charCodeAt(next))) next++;
    const identEnd = scanIdentifier(text, next);
    const ident = identEnd < 0 ? '' : text.slice(next, identEnd);
    const isParen = text.charCodeAt(next) === 0x28;
    if (isParen || (identEnd >= 0 && ident !== 'and' && ident !== 'or' && ident !== 'not')) {
      take(p, wordStart + modifier.length);
      p.pos = next;
      if (isParen) {
        take(p, next + 1);
        const list = parseListLiteral(p, depth + 1, next);
        return list && { modifier, right: list };
      }
      take(p, identEnd);
      return { modifier, right: { kind: 'value', value: ident, span: { start: next, end: identEnd } } };
    }
  }
  p.pos = save;
  return undefined;
}
