/**
 * Rewrites an overlay file over a new upstream where a three-way merge is safe, through the yaml
 * Document API so comments and formatting of untouched items stay as they were.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { UpstreamView } from '../analysis/shadow/index.js';
import { mergeListItems } from './merge-list-items.js';
import { appendKeepsMeaning, sameCondition } from './append-equivalence.js';

export type Rewrite =
  | { kind: 'list-merged'; name: string; added: string[]; removed: string[] }
  | { kind: 'macro-to-append'; name: string; clause: string }
  | { kind: 'macro-updated'; name: string }
  | { kind: 'rule-to-append'; name: string; clause: string };

export interface Conflict {
  itemType: 'list' | 'macro' | 'rule';
  name: string;
  line: number;
  reason: string;
}

export interface RebaseResult {
  text: string;
  rewrites: Rewrite[];
  conflicts: Conflict[];
}

export function rebaseOverlay(text: string, base: UpstreamView, theirs: UpstreamView): RebaseResult {
  const doc: Document = parseDocument(text);
  const rewrites: Rewrite[] = [];
  const conflicts: Conflict[] = [];
  const root = doc.contents;
  if (doc.errors.length > 0 || !isSeq(root)) return { text, rewrites, conflicts };
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  for (let i = 0; i < root.items.length; i++) {
    const node = root.items[i];
    if (!isMap(node)) continue;
    const line = lineOf(node.range?.[0] ?? 0);
    const str = (key: string) => {
      const v = node.get(key, true);
      return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
    };
    const appendNode = node.get('append', true);
    const isAppend = (isScalar(appendNode) && appendNode.value === true) || node.has('override');
    const list = str('list');
    const macro = str('macro');
    const rule = str('rule');
    if (list !== undefined && !isAppend) {
      const b = base.lists.get(list);
      const t = theirs.lists.get(list);
      if (!b) continue;
      if (!t) {
        conflicts.push({ itemType: 'list', name: list, line, reason: 'upstream removed this list; remove ours or rename it' });
        continue;
      }
      const itemsNode = node.get('items', true);
      if (!isSeq(itemsNode)) continue;
      const ours = itemsNode.items.map((x) => (isScalar(x) ? String(x.value) : ''));
      const merged = mergeListItems(b.items, t.items, ours);
      if (merged.addedFromUpstream.length + merged.removedFromUpstream.length === 0) continue;
      const next = doc.createNode(merged.items);
      next.flow = itemsNode.flow ?? false;
      next.comment = itemsNode.comment;
      node.set('items', next);
      rewrites.push({ kind: 'list-merged', name: list, added: merged.addedFromUpstream, removed: merged.removedFromUpstream });
    } else if (macro !== undefined && !isAppend) {
      const b = base.macros.get(macro);
      const t = theirs.macros.get(macro);
      const ours = str('condition');
      if (!b || ours === undefined) continue;
      if (!t) {
        conflicts.push({ itemType: 'macro', name: macro, line, reason: 'upstream removed this macro; remove ours or rename it' });
        continue;
      }
      if (sameCondition(b.condition, t.condition)) continue;
      if (sameCondition(ours, b.condition)) {
        node.set('condition', t.condition.trim());
        rewrites.push({ kind: 'macro-updated', name: macro });
        continue;
      }
      const clause = extraClause(b.condition, ours);
      if (clause !== null && appendKeepsMeaning(t.condition, clause)) {
        toAppend(doc, node, clause);
        rewrites.push({ kind: 'macro-to-append', name: macro, clause });
      } else {
        conflicts.push({ itemType: 'macro', name: macro, line, reason: 'upstream changed this macro and ours is not upstream\'s condition plus a clause: merge by hand' });
      }
    } else if (rule !== undefined && !isAppend && node.has('condition')) {
      const b = base.rules.get(rule);
      const t = theirs.rules.get(rule);
      const ours = str('condition');
      if (!b || ours === undefined) continue;
      if (!t) {
        conflicts.push({ itemType: 'rule', name: rule, line, reason: 'upstream removed this rule; our copy now stands alone' });
        continue;
      }
      const upstreamChanged = !sameCondition(b.condition, t.condition) || b.output.trim() !== t.output.trim() || b.priority !== t.priority;
      if (!upstreamChanged) continue;
      const clause = extraClause(b.condition, ours);
      const sameOtherwise = str('output')?.trim() === b.output.trim() && (str('priority') ?? '').toLowerCase() === (b.priority ?? '').toLowerCase() && !node.has('exceptions') && !node.has('enabled');
      if (clause !== null && sameOtherwise && appendKeepsMeaning(t.condition, clause)) {
        const override = doc.createNode({ condition: 'append' });
        override.flow = true;
        const replacement = doc.createNode({ rule, condition: clause, override });
        replacement.commentBefore = node.commentBefore;
        replacement.spaceBefore = node.spaceBefore;
        root.items[i] = replacement;
        rewrites.push({ kind: 'rule-to-append', name: rule, clause });
      } else {
        conflicts.push({ itemType: 'rule', name: rule, line, reason: 'upstream changed this rule and ours differs by more than an added clause: merge by hand' });
      }
    }
  }
  return { text: rewrites.length > 0 ? doc.toString({ lineWidth: 0 }) : text, rewrites, conflicts };
}

/** `ours` as upstream's condition plus a trailing `and …` / `or …` clause, or null. */
export function extraClause(base: string, ours: string): string | null {
  const b = base.replace(/\s+/g, ' ').trim();
  const o = ours.replace(/\s+/g, ' ').trim();
  for (const prefix of [b, `(${b})`]) {
    if (!o.startsWith(prefix)) continue;
    const rest = o.slice(prefix.length).trim();
    if (/^(and|or)[\s(]/.test(rest) && sameCondition(`${b} ${rest}`, o)) return rest;
  }
  return null;
}

function toAppend(doc: Document, node: YAMLMap, clause: string): void {
  node.set('condition', clause);
  const override = doc.createNode({ condition: 'append' });
  override.flow = true;
  node.set('override', override);
}
