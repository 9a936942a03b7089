import type { ShadowItemType } from './shadow-finding.js';
import type { UpstreamRuleset } from './upstream-ruleset.js';

/**
 * The name an item removed between base and theirs likely became: an item of the same type, new
 * in theirs, whose content is the same (lists: same items; macros and rules: same condition,
 * whitespace aside), or failing that the closest one by shared tokens (at least 80%).
 */
export function findRenamed(type: ShadowItemType, name: string, base: UpstreamRuleset, theirs: UpstreamRuleset): string | undefined {
  const content = (view: UpstreamRuleset, n: string): string[] | undefined => {
    if (type === 'list') return view.lists.get(n)?.items;
    const text = type === 'macro' ? view.macros.get(n)?.condition : view.rules.get(n)?.condition;
    return text?.split(/[\s(),=]+/).filter((t) => t !== '');
  };
  const old = content(base, name);
  if (!old || old.length === 0) return undefined; // an empty list matches every other empty list
  const names = type === 'list' ? theirs.lists.keys() : type === 'macro' ? theirs.macros.keys() : theirs.rules.keys();
  const oldKey = [...old].sort().join('\0');
  let best: { name: string; score: number } | undefined;
  for (const candidate of names) {
    if (content(base, candidate)) continue;
    const next = content(theirs, candidate)!;
    if ([...next].sort().join('\0') === oldKey) return candidate;
    const score = jaccard(old, next);
    if (score >= 0.8 && (!best || score > best.score)) best = { name: candidate, score };
  }
  return best?.name;
}

function jaccard(a: string[], b: string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 1 : inter / union;
}
