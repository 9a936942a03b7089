import { isBlank, isQuote, matchesAt, scanFieldArgBare, scanQuoted } from './lexer.js';

/** A condition that does not parse: Falco's message and the 0-based offset where the parser stopped. */
export interface ConditionSyntaxError {
  message: string;
  offset: number;
}

/**
 * The parser's cursor, mirroring libsinsp's `m_pos`, `m_last_token` and first error. Parse
 * functions return `undefined` on failure with `error` set; an optional production returns
 * `undefined` with `error` unset when it does not apply.
 */
export interface ParserState {
  readonly text: string;
  readonly maxDepth: number;
  pos: number;
  /** The last token, for "unexpected token after 'T'": a slice of the text, or `lastValue` when set. */
  lastStart: number;
  lastEnd: number;
  lastValue: string | undefined;
  error: ConditionSyntaxError | undefined;
}

export function createParserState(text: string, maxDepth: number): ParserState {
  return { text, maxDepth, pos: 0, lastStart: 0, lastEnd: 0, lastValue: undefined, error: undefined };
}

export function fail(p: ParserState, message: string): undefined {
  p.error = { message, offset: p.pos };
  return undefined;
}

/** libsinsp's depth guard: entering a guarded production at `depth` fails once it reaches the limit. */
export function exceedsDepth(p: ParserState, depth: number): boolean {
  if (depth < p.maxDepth) return false;
  fail(p, `exceeded max depth limit of ${p.maxDepth}`);
  return true;
}

export function lastToken(p: ParserState): string {
  return p.lastValue ?? p.text.slice(p.lastStart, p.lastEnd);
}

/** Skips blanks; true when at least one was skipped (`lex_blank`). Does not change the last token. */
export function lexBlank(p: ParserState): boolean {
  const start = p.pos;
  while (p.pos < p.text.length && isBlank(p.text.charCodeAt(p.pos))) p.pos++;
  return p.pos > start;
}

/** Consumes the match `[p.pos, end)` as the last token. */
export function take(p: ParserState, end: number): void {
  p.lastStart = p.pos;
  p.lastEnd = end;
  p.lastValue = undefined;
  p.pos = end;
}

/** `lex_helper_str`: consumes `word` if the text continues with it. */
export function lexWord(p: ParserState, word: string): boolean {
  if (!matchesAt(p.text, p.pos, word)) return false;
  take(p, p.pos + word.length);
  return true;
}

/**
 * `lex_quoted_str`: the unescaped string, `undefined` when there is no (terminated) quoted string
 * here, or `null` with `error` set (after the closing quote) when an escape is invalid.
 */
export function lexQuoted(p: ParserState): string | undefined | null {
  if (p.pos >= p.text.length || !isQuote(p.text.charCodeAt(p.pos))) return undefined;
  const scan = scanQuoted(p.text, p.pos);
  if (scan.kind === 'unterminated') return undefined;
  take(p, scan.end);
  if (scan.kind === 'bad-escape') {
    fail(p, scan.message);
    return null;
  }
  p.lastValue = scan.value;
  return scan.value;
}

/** `[` ( QUOTED | FIELDARG ) `]` right after a field or transformer; `undefined` arg when absent. */
export function parseBracketArg(p: ParserState): { arg: string | undefined } | undefined {
  if (!lexWord(p, '[')) return { arg: undefined };
  const quoted = lexQuoted(p);
  if (quoted === null) return undefined;
  let arg = quoted;
  if (arg === undefined) {
    const end = scanFieldArgBare(p.text, p.pos);
    if (end < 0) return fail(p, 'expected a valid field argument: a quoted string or a bare string');
    take(p, end);
    arg = p.text.slice(p.lastStart, end);
  }
  if (!lexWord(p, ']')) return fail(p, "expected a ']' token");
  return { arg };
}
