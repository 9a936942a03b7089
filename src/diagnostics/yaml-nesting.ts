/**
 * A budget on YAML nesting, checked with the `yaml` lexer before any parse: the parser and composer
 * spend memory and stack per level, and four million `[` took 48 s and 4 GB before failing.
 */
import { Lexer } from 'yaml';

/** Deeper than any rules, test or configuration file needs (those nest fewer than ten levels). */
export const MAX_YAML_NESTING = 256;

/** The refusal, in one wording for every reader. */
export const YAML_TOO_DEEP = `YAML nesting is too deep to load: more than ${MAX_YAML_NESTING} levels`;

/** Lexer tokens that stand for no source text (document start, flow error end, scalar start). */
const ZERO_WIDTH = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Where `text` first nests deeper than `max` levels (1-based line and column), or null. Flow
 * collections count their brackets; block ones count the indentation levels open at a line, plus
 * the `-` and `?` indicators that open a collection on that same line (`- - - x`).
 */
export function yamlNestingExcess(text: string, max: number = MAX_YAML_NESTING): { line: number; column: number } | null {
  if (nestingBound(text) <= max) return null;
  let flow = 0;
  let blockOnLine = 0;
  const indents: number[] = [];
  let atLineStart = true;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) continue;
    if (atLineStart && flow === 0 && !/^[ \t\n]*$/.test(token) && !token.startsWith('#')) {
      const indent = offset - lineStart;
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      atLineStart = false;
    }
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (flow === 0 && (token === '-' || token === '?')) blockOnLine++;
    if (flow + blockOnLine + Math.max(0, indents.length - 1) > max) return { line, column: offset - lineStart + 1 };
    for (let i = token.indexOf('\n'); i !== -1; i = token.indexOf('\n', i + 1)) {
      line++;
      lineStart = offset + i + 1;
      blockOnLine = 0;
    }
    if (token.endsWith('\n')) atLineStart = true;
    offset += token.length;
  }
  return null;
}

/**
 * A cheap upper bound on the nesting: every `[`/`{` of the text, plus the most `-`/`?` of any one
 * line, plus the deepest indentation (each block level is indented at least one more column).
 */
function nestingBound(text: string): number {
  let openers = 0;
  let indicators = 0;
  let most = 0;
  let indent = 0;
  let deepest = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (atLineStart) {
      if (c === 32) {
        indent++;
        continue;
      }
      if (indent > deepest) deepest = indent;
      atLineStart = false;
    }
    if (c === 91 || c === 123) openers++;
    else if (c === 45 || c === 63) indicators++;
    else if (c === 10) {
      if (indicators > most) most = indicators;
      indicators = 0;
      indent = 0;
      atLineStart = true;
    }
  }
  return openers + Math.max(most, indicators) + deepest;
}
