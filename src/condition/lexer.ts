/**
 * Token scanners of the Falco filter language (libsinsp filter/parser.cpp, §5.1).
 *
 * Falco's lexer is driven by the parser: which token is tried depends on where the parser is
 * (a bare string after `=`, an identifier after `in`, a field name at the start of a check), so
 * these are scanners called at a cursor rather than a separate token stream. Each one works on
 * char codes and returns the end offset of its match, or -1. Hand-written: the parser calls them
 * for every character of ~5,000 conditions per load, where a regex per token costs too much.
 */

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const BS = 0x08;
const NUL = 0x00;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;

/** The blanks `lex_blank` skips: space, `\t`, `\b`, `\r`, `\n` (not `\f`, not `\v`). */
export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === BS || c === CR || c === LF;
}

/** POSIX `[:space:]`, used by the `not` keyword and the bare-string classes: space, `\t\n\v\f\r`. */
export function isPosixSpace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR);
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isIdentTail(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 0x5f;
}

/** Skips blanks from `pos`; returns the first non-blank offset. */
export function skipBlanks(text: string, pos: number): number {
  while (pos < text.length && isBlank(text.charCodeAt(pos))) pos++;
  return pos;
}

/** True when `word` occurs at `pos` (keywords are matched as prefixes, without word boundaries). */
export function matchesAt(text: string, pos: number, word: string): boolean {
  if (pos + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++) {
    if (text.charCodeAt(pos + i) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** `IDENT` = `[a-zA-Z]+[a-zA-Z0-9_]*`. */
export function scanIdentifier(text: string, pos: number): number {
  if (pos >= text.length || !isLetter(text.charCodeAt(pos))) return -1;
  pos++;
  while (pos < text.length && isIdentTail(text.charCodeAt(pos))) pos++;
  return pos;
}

/** `FIELDNAME` = `IDENT(\.IDENT)+`, longest match. */
export function scanFieldName(text: string, pos: number): number {
  let end = scanIdentifier(text, pos);
  if (end < 0) return -1;
  let segments = 0;
  while (end + 1 < text.length && text.charCodeAt(end) === DOT && isLetter(text.charCodeAt(end + 1))) {
    end = scanIdentifier(text, end + 1);
    segments++;
  }
  return segments > 0 ? end : -1;
}

/** `not[[:space:]]+`: returns the end of the blanks after `not`, or -1. */
export function scanNotKeyword(text: string, pos: number): number {
  if (!matchesAt(text, pos, 'not')) return -1;
  let end = pos + 3;
  while (end < text.length && isPosixSpace(text.charCodeAt(end))) end++;
  return end > pos + 3 ? end : -1;
}

/** `FIELDARG` (bare) = `[^][\"'[:space:]]+`. */
export function scanFieldArgBare(text: string, pos: number): number {
  let end = pos;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === LBRACKET || c === RBRACKET || c === DQUOTE || c === SQUOTE || isPosixSpace(c)) break;
    end++;
  }
  return end > pos ? end : -1;
}

/** True for the characters `BARESTR` may contain: anything but `()"'`, `[:space:]`, `=` and `,`. */
export function isBareStringChar(c: number): boolean {
  return !(c === LPAREN || c === RPAREN || c === DQUOTE || c === SQUOTE || c === EQUALS || c === COMMA || isPosixSpace(c));
}

/** `BARESTR` = `[^()"'[:space:]=,]+`. */
export function scanBareString(text: string, pos: number): number {
  let end = pos;
  while (end < text.length && isBareStringChar(text.charCodeAt(end))) end++;
  return end > pos ? end : -1;
}

/** `HEXNUM` = `0[xX][0-9a-fA-F]+`. */
export function scanHexNumber(text: string, pos: number): number {
  if (pos + 2 >= text.length || text.charCodeAt(pos) !== 0x30) return -1;
  const x = text.charCodeAt(pos + 1);
  if (x !== 0x78 && x !== 0x58) return -1;
  let end = pos + 2;
  while (end < text.length && isHexDigit(text.charCodeAt(end))) end++;
  return end > pos + 2 ? end : -1;
}

/** `NUMBER` = `[+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?`, longest match (the exponent needs a sign). */
export function scanNumber(text: string, pos: number): number {
  let end = pos;
  const first = text.charCodeAt(end);
  if (first === PLUS || first === MINUS) end++;
  const digitsStart = end;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  if (end === digitsStart) return -1;
  if (end < text.length && text.charCodeAt(end) === DOT) {
    end++;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  }
  const e = text.charCodeAt(end);
  if (e === 0x65 || e === 0x45) {
    const sign = text.charCodeAt(end + 1);
    if ((sign === PLUS || sign === MINUS) && isDigit(text.charCodeAt(end + 2))) {
      end += 3;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    }
  }
  return end;
}

/** A numeric literal as the parser tries it: `HEXNUM` first, then `NUMBER`. */
export function scanNumeric(text: string, pos: number): number {
  const hex = scanHexNumber(text, pos);
  return hex >= 0 ? hex : scanNumber(text, pos);
}

/** The outcome of scanning a quoted string at a quote character. */
export type QuotedScan =
  | { kind: 'ok'; end: number; value: string }
  /** No closing delimiter (or a NUL before it): nothing is consumed. */
  | { kind: 'unterminated' }
  /** Closed at `end`, but its content has an invalid escape. */
  | { kind: 'bad-escape'; end: number; message: string };

/**
 * Scans `'…'` or `"…"` at `pos` (which must hold a quote). The string ends at the first matching
 * delimiter not immediately preceded by a backslash; a NUL ends the input as in C.
 */
export function scanQuoted(text: string, pos: number): QuotedScan {
  const delimiter = text.charCodeAt(pos);
  let hasEscape = false;
  let prev = text.charCodeAt(pos);
  for (let i = pos + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NUL) break;
    if (c === delimiter && prev !== BACKSLASH) {
      if (!hasEscape) return { kind: 'ok', end: i + 1, value: text.slice(pos + 1, i) };
      const unescaped = unescapeContent(text, pos + 1, i, delimiter);
      return typeof unescaped === 'string' ? { kind: 'ok', end: i + 1, value: unescaped } : { kind: 'bad-escape', end: i + 1, message: unescaped.message };
    }
    if (c === BACKSLASH) hasEscape = true;
    prev = c;
  }
  return { kind: 'unterminated' };
}

/** True when `c` is a quote character that starts a quoted string. */
export function isQuote(c: number): boolean {
  return c === DQUOTE || c === SQUOTE;
}

/**
 * Decodes the escapes of a quoted string's content (libsinsp escaping.cpp `unescape_str`):
 * `\b \f \n \r \t \\ \/`, `\xHH` [HEAD], the delimiter's own quote, and backslash-space as a
 * backslash (legacy tolerance).
 */
function unescapeContent(text: string, start: number, end: number, delimiter: number): string | { message: string } {
  let out = '';
  let runStart = start;
  let i = start;
  while (i < end) {
    if (text.charCodeAt(i) !== BACKSLASH) {
      i++;
      continue;
    }
    out += text.slice(runStart, i);
    const c = text.charCodeAt(i + 1);
    let width = 2;
    switch (c) {
      case 0x62:
        out += '\b';
        break;
      case 0x66:
        out += '\f';
        break;
      case 0x6e:
        out += '\n';
        break;
      case 0x72:
        out += '\r';
        break;
      case 0x74:
        out += '\t';
        break;
      case SPACE:
      case BACKSLASH:
        out += '\\';
        break;
      case 0x2f:
        out += '/';
        break;
      case DQUOTE:
      case SQUOTE:
        if (c !== delimiter) {
          return { message: c === DQUOTE ? `invalid \\" escape in '-quoted string` : `invalid \\' escape in "-quoted string` };
        }
        out += String.fromCharCode(c);
        break;
      case 0x78:
        if (i + 3 < end && isHexDigit(text.charCodeAt(i + 2)) && isHexDigit(text.charCodeAt(i + 3))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
          width = 4;
          break;
        }
        return { message: 'unsupported string escape sequence: \\x' };
      default:
        return { message: `unsupported string escape sequence: \\${text.charAt(i + 1)}` };
    }
    i += width;
    runStart = i;
  }
  return out + text.slice(runStart, end);
}
