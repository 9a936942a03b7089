/**
 * Which lists and macros a condition reaches. Falco finds list names textually, between the
 * delimiters ` \t\n\r(),=` (docs/falco-rules-semantics.md §3.2), so the same token split finds
 * list references exactly; a macro reference is such a token too (a bare identifier, §4), and a
 * plain value that happens to spell a macro's name is the only over-approximation.
 */
import type { ExceptionDef, ExceptionValue } from '../../rules/index.js';
import type { UpstreamRuleset } from './upstream-ruleset.js';

const DELIMITERS = /[ \t\n\r(),=]+/;

export function conditionTokens(text: string): Set<string> {
  return new Set(text.split(DELIMITERS).filter((t) => t !== ''));
}

export function exceptionTokens(exceptions: readonly ExceptionDef[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: ExceptionValue) => (typeof v === 'string' ? out.add(v) : v.forEach(walk));
  for (const e of exceptions) for (const v of e.values ?? []) walk(v);
  return out;
}

/**
 * Every list and macro name a rule reaches through the view's macros and lists (transitively),
 * as `list:NAME` / `macro:NAME` keys. `memo` caches per-macro and per-list results for one view.
 */
export function reachedItems(tokens: Iterable<string>, view: UpstreamRuleset, memo: Map<string, Set<string>>): Set<string> {
  const out = new Set<string>();
  const visit = (token: string, seen: Set<string>) => {
    if (view.lists.has(token)) {
      const key = `list:${token}`;
      if (out.has(key)) return;
      out.add(key);
      for (const inner of view.lists.get(token)!.items)
        if (inner !== token && view.lists.has(inner) && !seen.has(inner)) visit(inner, new Set([...seen, inner]));
    }
    if (view.macros.has(token)) {
      const key = `macro:${token}`;
      if (out.has(key)) return;
      out.add(key);
      for (const r of macroReach(token, view, memo, new Set([token]))) out.add(r);
    }
  };
  for (const t of tokens) visit(t, new Set([t]));
  return out;
}

function macroReach(name: string, view: UpstreamRuleset, memo: Map<string, Set<string>>, path: Set<string>): Set<string> {
  const cached = memo.get(name);
  if (cached) return cached;
  const out = new Set<string>();
  for (const token of conditionTokens(view.macros.get(name)!.condition)) {
    if (view.lists.has(token)) {
      out.add(`list:${token}`);
      for (const inner of view.lists.get(token)!.items) if (view.lists.has(inner)) out.add(`list:${inner}`);
    }
    if (view.macros.has(token) && !path.has(token)) {
      out.add(`macro:${token}`);
      for (const r of macroReach(token, view, memo, new Set([...path, token]))) out.add(r);
    }
  }
  if (path.size === 1) memo.set(name, out);
  return out;
}
