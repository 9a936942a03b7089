/**
 * A budget on YAML nesting, checked with the `yaml` lexer before any parse: the parser and composer
 * spend memory and stack per level, and four million `[` took 48 s and 4 GB before failing.
 */
import { Lexer } from 'yaml';

/** Deeper than any rules, test or configuration file needs (those nest fewer than ten levels). */
export const MAX_YAML_NESTING = 256;

/** Lexer tokens that stand for no source text (document start, flow error end, scalar start). */
const ZERO_WIDTH = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Where `text` first nests deeper than `max` levels (1-based line and column), or null. Flow
 * collections count their brackets; block ones count the `-` and `?` indicators that open a
 * collection on the same line (`- - - x`), since nesting by indentation alone costs a line per level.
 */
export function yamlNestingExcess(text: string, max: number = MAX_YAML_NESTING): { line: number; column: number } | null {
  if (nestingBound(text) <= max) return null;
  let flow = 0;
  let blockOnLine = 0;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) continue;
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (token === '-' || token === '?')) blockOnLine++;
    if (flow + blockOnLine > max) return { line, column: offset - lineStart + 1 };
    for (let i = token.indexOf('\n'); i !== -1; i = token.indexOf('\n', i + 1)) {
      line++;
      lineStart = offset + i + 1;
      blockOnLine = 0;
    }
    offset += token.length;
  }
  return null;
}

/** A cheap upper bound on the nesting: every `[`/`{` of the text, plus the most `-`/`?` of any one line. */
function nestingBound(text: string): number {
  let openers = 0;
  let indicators = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) openers++;
    else if (c === 45 || c === 63) indicators++;
    else if (c === 10) {
      if (indicators > most) most = indicators;
      indicators = 0;
    }
  }
  return openers + Math.max(most, indicators);
}
