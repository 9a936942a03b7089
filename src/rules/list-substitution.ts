/**
 * List names replaced by their items in condition text (Falco's resolve_list, applied to every list in
 * list order; docs/falco-rules-semantics.md §3.2). Runs as one token scan with a name lookup: only lists
 * whose names occur (initially, or inside an earlier list's inserted items) get their pass, which gives
 * exactly the result of running every list's pass in order.
 */
import type { CompiledList } from './model.js';

const BLANKS = ' \t\n\r';
const DELIMS = ' \t\n\r(),=';

/** Falco's quote_item: wrap in double quotes if it has a space and does not start with a quote; no escaping. */
export function quoteItem(item: string): string {
  return item.includes(' ') && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** The replacement text of a list: its items quoted and joined by ", ". */
export function listReplacement(items: readonly string[]): string {
  let sub = '';
  for (const item of items) {
    if (sub !== '') sub += ', ';
    sub += quoteItem(item);
  }
  return sub;
}

/** One list's pass over a text, exactly as resolve_list does it. */
export function substituteOneList(text: string, name: string, sub: string): { text: string; used: boolean } {
  let cnd = text;
  let used = false;
  let start = cnd.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    if ((start === 0 || DELIMS.includes(cnd[start - 1])) && (end >= cnd.length || DELIMS.includes(cnd[end]))) {
      while (start > 0 && BLANKS.includes(cnd[start - 1])) start--;
      while (end < cnd.length && BLANKS.includes(cnd[end])) end++;
      if (sub === '') {
        if (start > 0 && cnd[start - 1] === ',') start--;
        else if (end < cnd.length && cnd[end] === ',') end++;
      }
      cnd = (start > 0 ? `${cnd.slice(0, start)} ` : '') + `${sub} ` + cnd.slice(end);
      start += sub.length + 1;
      used = true;
    }
    // std::string::find past the end is npos (indexOf would return the length for an empty name)
    start = start + 1 > cnd.length ? -1 : cnd.indexOf(name, start + 1);
  }
  return { text: cnd, used };
}

export interface NameIndex {
  /** Every list's position by name. */
  all: Map<string, number>;
  byName: Map<string, number>;
  /** Lists whose names contain a delimiter (or are empty): a token lookup cannot find them, so they always get their pass. */
  irregular: number[];
}

// Memo of the name lookup per list array (names never change once compiled); weakly held.
const nameIndexes = new WeakMap<readonly CompiledList[], NameIndex>();

export function nameIndexOf(lists: readonly CompiledList[]): NameIndex {
  let index = nameIndexes.get(lists);
  if (!index) {
    index = { all: new Map(), byName: new Map(), irregular: [] };
    lists.forEach((list, i) => {
      if (!index!.all.has(list.name)) index!.all.set(list.name, i);
      if (list.name === '' || [...list.name].some((c) => DELIMS.includes(c))) index!.irregular.push(i);
      else if (!index!.byName.has(list.name)) index!.byName.set(list.name, i);
      else index!.irregular.push(i);
    });
    nameIndexes.set(lists, index);
  }
  return index;
}

/** Falco's list-name delimiters (§3.2): blank, tab, newline, return, parentheses, comma, `=`. */
function isListDelimiter(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 40 || c === 41 || c === 44 || c === 61;
}

/** Calls `visit` with each maximal run of non-delimiters of `text`, left to right. */
function forEachToken(text: string, visit: (token: string) => void): void {
  let tokenStart = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isListDelimiter(text.charCodeAt(i))) {
      if (tokenStart < 0) tokenStart = i;
    } else if (tokenStart >= 0) {
      visit(text.slice(tokenStart, i));
      tokenStart = -1;
    }
  }
}

/** The distinct tokens of `text` (as markTokens splits it), in order of first appearance. */
export function distinctTokens(text: string): string[] {
  const seen = new Set<string>();
  forEachToken(text, (token) => seen.add(token));
  return [...seen];
}

/** Marks every list after `after` whose name is a token of `text`; true when it marked any. */
function markTokens(text: string, byName: Map<string, number>, pending: Uint8Array, after: number): boolean {
  let found = false;
  forEachToken(text, (token) => {
    const j = byName.get(token);
    if (j !== undefined && j > after) {
      pending[j] = 1;
      found = true;
    }
  });
  return found;
}

export function substituteLists(text: string, lists: readonly CompiledList[]): { text: string; used: Set<string> } {
  const used = new Set<string>();
  if (lists.length === 0) return { text, used };
  const { byName, irregular } = nameIndexOf(lists);
  const pending = new Uint8Array(lists.length);
  for (const i of irregular) pending[i] = 1;
  if (!markTokens(text, byName, pending, -1) && irregular.length === 0) return { text, used };
  let out = text;
  for (let i = 0; i < lists.length; i++) {
    if (!pending[i]) continue;
    const list = lists[i];
    const sub = listReplacement(list.items);
    const pass = substituteOneList(out, list.name, sub);
    if (!pass.used) continue;
    out = pass.text;
    used.add(list.name);
    markTokens(sub, byName, pending, i);
  }
  return { text: out, used };
}
