/**
 * List substitution on a parsed tree, for the common case where it gives the same tree as Falco's
 * textual substitution (docs/falco-rules-semantics.md §3.2) followed by a parse: every occurrence
 * of a substituted list's name is a bare item of a list literal, `x in (shell_binaries)`, and every
 * inserted item is plain. The text is then parsed once, however the lists' items change; spans
 * stay those of the text as written (an inserted item gets the span of the name it replaces).
 */
import type { BinaryCheck, Expr, ListLiteral, Literal } from '../condition/ast.js';
import type { ParseResult } from '../condition/index.js';

/** A condition as written, parsed once, with what decides whether its lists can be substituted in the tree. */
export interface ConditionTemplate {
  readonly expr: Expr | undefined;
  /** Names whose every delimited occurrence in the text is a bare list-literal item. */
  readonly itemOnly: ReadonlySet<string>;
  /** The bare list-literal items of the tree. */
  readonly bareItems: ReadonlySet<Literal>;
}

const DELIM_CODES = new Set([32, 9, 10, 13, 40, 41, 44, 61]);
/** Characters after which Falco's quoting or the lexer could read an inserted item differently. */
const UNSAFE_CODES = new Set([34, 39, 40, 41, 44, 61, 92]);

export function createConditionTemplate(text: string, parsed: ParseResult): ConditionTemplate {
  if (!parsed.ok) return { expr: undefined, itemOnly: new Set(), bareItems: new Set() };
  const bareItems = new Set<Literal>();
  const itemStarts = new Map<string, number[]>();
  forEachListLiteral(parsed.expr, (list) => {
    for (const item of list.items) {
      if (text.slice(item.span.start, item.span.end) !== item.value) continue;
      bareItems.add(item);
      let starts = itemStarts.get(item.value);
      if (!starts) itemStarts.set(item.value, (starts = []));
      starts.push(item.span.start);
    }
  });
  const tokenStarts = tokenPositions(text);
  const itemOnly = new Set<string>();
  for (const [value, starts] of itemStarts) {
    const tokens = tokenStarts.get(value);
    if (tokens && tokens.length === starts.length && [...starts].sort((a, b) => a - b).every((s, k) => s === tokens[k])) itemOnly.add(value);
  }
  return { expr: parsed.expr, itemOnly, bareItems };
}

/** An item Falco inserts as one bare string, read back unchanged: not empty, no blank or control character, quote, paren, comma, `=` or backslash. */
export function isPlainItem(item: string): boolean {
  if (item.length === 0) return false;
  for (let i = 0; i < item.length; i++) {
    const c = item.charCodeAt(i);
    if (c <= 32 || c === 127 || UNSAFE_CODES.has(c)) return false;
  }
  return true;
}

/**
 * The template's tree with each bare list item named in `items` replaced by that list's items, as
 * literals; subtrees without such an item are the template's own nodes.
 */
export function substituteInTree(template: ConditionTemplate & { expr: Expr }, items: ReadonlyMap<string, readonly string[]>): Expr {
  const substitute = (e: Expr): Expr => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        let changed = false;
        const operands = e.operands.map((o) => {
          const r = substitute(o);
          if (r !== o) changed = true;
          return r;
        });
        return changed ? { ...e, operands } : e;
      }
      case 'not': {
        const operand = substitute(e.operand);
        return operand === e.operand ? e : { ...e, operand };
      }
      case 'binary-check':
        return e.right.kind === 'list' ? substituteInCheck(e, e.right) : e;
      case 'unary-check':
      case 'macro-ref':
        return e;
    }
  };
  const substituteInCheck = (check: BinaryCheck, list: ListLiteral): BinaryCheck => {
    if (!list.items.some((item) => template.bareItems.has(item) && items.has(item.value))) return check;
    const out: Literal[] = [];
    for (const item of list.items) {
      const values = template.bareItems.has(item) ? items.get(item.value) : undefined;
      if (values === undefined) out.push(item);
      else for (const value of values) out.push({ kind: 'value', value, span: item.span });
    }
    return { ...check, right: { ...list, items: out } };
  };
  return substitute(template.expr);
}

function forEachListLiteral(e: Expr, visit: (list: ListLiteral) => void): void {
  if (e.kind === 'and' || e.kind === 'or') for (const o of e.operands) forEachListLiteral(o, visit);
  else if (e.kind === 'not') forEachListLiteral(e.operand, visit);
  else if (e.kind === 'binary-check' && e.right.kind === 'list') visit(e.right);
}

/** Start offsets of each token (a maximal run of non-delimiters, as the textual pass matches names), ascending. */
function tokenPositions(text: string): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const delim = i === text.length || DELIM_CODES.has(text.charCodeAt(i));
    if (!delim) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const token = text.slice(start, i);
      let at = positions.get(token);
      if (!at) positions.set(token, (at = []));
      at.push(start);
      start = -1;
    }
  }
  return positions;
}
