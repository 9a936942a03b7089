/**
 * Rewrites an overlay file over a new upstream where a three-way merge is safe. The yaml Document
 * API locates each item; only the nodes a rewrite changes are edited in the source text, so the
 * comments, quoting, style and line breaks of everything else stay byte for byte.
 */
import { yamlNestingExcess } from '../diagnostics/index.js';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap, type Document, type Node } from 'yaml';
import type { UpstreamRuleset, UpstreamRule } from '../analysis/shadow/index.js';
import { collapseWhitespace, sameCondition } from '../condition/index.js';
import { validateException, type ExceptionDef } from '../rules/index.js';
import { exclusionsAsExceptions, type ExceptionValues } from './exclusion-to-exception.js';
import { mergeListItems } from './merge-list-items.js';
import { addPair, applyEdits, columnAt, editSequence, replaceNode, replaceScalar, type TextEdit } from './yaml-text-edits.js';
import { appendKeepsMeaning } from './append-equivalence.js';

export type Rewrite =
  | { kind: 'list-merged'; name: string; added: string[]; removed: string[] }
  | { kind: 'macro-to-append'; name: string; clause: string }
  | { kind: 'macro-updated'; name: string }
  | { kind: 'rule-to-append'; name: string; clause: string }
  /** Our added exclusions became values of the rule's own exceptions, plus a condition append for any rest. */
  | { kind: 'rule-to-exception'; name: string; exceptions: ExceptionValues[]; clause: string | null };

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

export function rebaseOverlay(text: string, base: UpstreamRuleset, theirs: UpstreamRuleset): RebaseResult {
  const rewrites: Rewrite[] = [];
  const conflicts: Conflict[] = [];
  if (yamlNestingExcess(text) !== null) return { text, rewrites, conflicts };
  const doc: Document = parseDocument(text);
  const root = doc.contents;
  if (doc.errors.length > 0 || !isSeq(root)) return { text, rewrites, conflicts };
  const edits: TextEdit[] = [];
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
    const legacyAppend = isScalar(appendNode) && appendNode.value === true;
    // A list or macro whose override only replaces is a plain definition in Falco (§2.2): ours replaces upstream's.
    const overrideNode = node.get('override', true);
    const overrideOps = isMap(overrideNode) ? overrideNode.items.map((pair) => (isScalar(pair.value) ? String(pair.value.value) : '')) : [];
    const isAppend = legacyAppend || overrideOps.includes('append');
    const isRuleOverride = legacyAppend || node.has('override');
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
      const dropped = new Set(merged.removedFromUpstream);
      const removed = new Set(ours.flatMap((item, k) => (isScalar(itemsNode.items[k]) && dropped.has(item) ? [k] : [])));
      edits.push(...editSequence(text, itemsNode, removed, merged.addedFromUpstream));
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
        edits.push(replaceCondition(text, node, t.condition.trim()));
        rewrites.push({ kind: 'macro-updated', name: macro });
        continue;
      }
      const clause = extraClause(b.condition, ours);
      if (clause !== null && appendKeepsMeaning(t.condition, clause)) {
        edits.push(...toAppend(text, node, clause));
        rewrites.push({ kind: 'macro-to-append', name: macro, clause });
      } else {
        conflicts.push({
          itemType: 'macro',
          name: macro,
          line,
          reason: "upstream changed this macro and ours is not upstream's condition plus a clause: merge by hand",
        });
      }
    } else if (rule !== undefined && !isRuleOverride && node.has('condition')) {
      const b = base.rules.get(rule);
      const t = theirs.rules.get(rule);
      const ours = str('condition');
      if (!b || ours === undefined) continue;
      if (!t) {
        conflicts.push({ itemType: 'rule', name: rule, line, reason: 'upstream removed this rule; our copy now stands alone' });
        continue;
      }
      const rebased = rebaseRule(doc, node, rule, ours, b, t);
      if (rebased === 'unchanged') continue;
      if (rebased === 'conflict') {
        conflicts.push({
          itemType: 'rule',
          name: rule,
          line,
          reason: 'upstream changed this rule and ours differs by more than an added clause: merge by hand',
        });
        continue;
      }
      edits.push(replaceNode(text, node, rebased.node));
      rewrites.push(rebased.rewrite);
    }
  }
  return { text: edits.length > 0 ? applyEdits(text, edits) : text, rewrites, conflicts };
}

/** `ours` as upstream's condition plus a trailing `and …` / `or …` clause, or null. */
export function extraClause(base: string, ours: string): string | null {
  const b = collapseWhitespace(base);
  const o = collapseWhitespace(ours);
  for (const prefix of [b, `(${b})`]) {
    if (!o.startsWith(prefix)) continue;
    const rest = o.slice(prefix.length).trim();
    if (/^(and|or)[\s(]/.test(rest) && sameCondition(`${b} ${rest}`, o)) return rest;
  }
  return null;
}

/** Our macro as an append of `clause`: its condition replaced, `override: {condition: append}` set (an existing op edited in place). */
function toAppend(text: string, node: YAMLMap, clause: string): TextEdit[] {
  const existing = node.get('override', true);
  const op = isMap(existing) ? existing.items.find((p) => isScalar(p.key) && p.key.value === 'condition') : undefined;
  if (op && isScalar(op.value))
    return [replaceCondition(text, node, clause), replaceScalar(text, columnAt(text, (op.key as Node).range![0]), 'condition', op.value, 'append')];
  const override = new YAMLMap();
  override.flow = true;
  override.set('condition', 'append');
  return [replaceCondition(text, node, clause), existing ? replaceNode(text, existing, override) : addPair(text, node, 'override', override)];
}

function replaceCondition(text: string, node: YAMLMap, condition: string): TextEdit {
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === 'condition')!;
  return replaceScalar(text, columnAt(text, (pair.key as Node).range![0]), 'condition', pair.value as Node, condition);
}

/**
 * A replaced rule over a changed upstream rule: unchanged when upstream did not change it; an
 * exceptions append (and a condition append for any rest) or a condition append when ours is
 * upstream's rule plus an added clause; else a conflict.
 */
function rebaseRule(
  doc: Document,
  node: YAMLMap,
  rule: string,
  ours: string,
  b: UpstreamRule,
  t: UpstreamRule,
): 'unchanged' | 'conflict' | { node: Node; rewrite: Rewrite } {
  const str = (key: string) => {
    const v = node.get(key, true);
    return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
  };
  const upstreamChanged =
    !sameCondition(b.condition, t.condition) || b.output.trim() !== t.output.trim() || b.priority !== t.priority || !sameExceptions(b.exceptions, t.exceptions);
  if (!upstreamChanged) return 'unchanged';
  const clause = extraClause(b.condition, ours);
  const oursExceptions = node.has('exceptions') ? decodeExceptions(node.get('exceptions', true)) : [];
  const sameOtherwise =
    str('output')?.trim() === b.output.trim() &&
    priorityKey(str('priority') ?? '') === priorityKey(b.priority ?? '') &&
    oursExceptions !== null &&
    (oursExceptions.length === 0 || sameExceptions(oursExceptions, b.exceptions)) &&
    !node.has('enabled');
  if (clause === null || !sameOtherwise) return 'conflict';
  const split = exclusionsAsExceptions(clause, t.exceptions);
  if (split !== null && (split.clause === null || appendKeepsMeaning(t.condition, split.clause))) {
    const fields: Record<string, unknown> = { rule };
    const ops: Record<string, string> = {};
    if (split.clause !== null) {
      fields.condition = split.clause;
      ops.condition = 'append';
    }
    fields.exceptions = split.exceptions.map((e) => ({ name: e.name, values: e.values }));
    ops.exceptions = 'append';
    const replacement = doc.createNode({ ...fields, override: ops });
    for (const entry of (replacement.get('exceptions', true) as Node & { items: YAMLMap[] }).items)
      (entry.get('values', true) as Node & { flow?: boolean }).flow = true;
    (replacement.get('override', true) as Node & { flow?: boolean }).flow = true;
    return { node: replacement, rewrite: { kind: 'rule-to-exception', name: rule, exceptions: split.exceptions, clause: split.clause } };
  }
  if (!appendKeepsMeaning(t.condition, clause)) return 'conflict';
  const override = doc.createNode({ condition: 'append' });
  override.flow = true;
  return { node: doc.createNode({ rule, condition: clause, override }), rewrite: { kind: 'rule-to-append', name: rule, clause } };
}

type PlainException = Omit<ExceptionDef, 'loc'>;

/**
 * Our copy's `exceptions:` as plain entries with the collector's defaults (comps) applied, as the
 * merged upstream rule has them; null when it is not a sequence of valid named mappings.
 */
function decodeExceptions(node: unknown): PlainException[] | null {
  if (!isSeq(node)) return null;
  const out: PlainException[] = [];
  for (const item of node.toJSON()) {
    if (typeof item !== 'object' || item === null || typeof (item as { name?: unknown }).name !== 'string') return null;
    const defaulted = validateException({ ...(item as PlainException), loc: { file: '', line: 0, column: 0 } }, '', undefined);
    if ('error' in defaulted) return null;
    const { loc: _loc, fieldLocs: _fieldLocs, ...plain } = defaulted;
    out.push(plain);
  }
  return out;
}

function sameExceptions(a: readonly PlainException[], b: readonly PlainException[]): boolean {
  const plain = (list: readonly PlainException[]) => JSON.stringify(list.map((e) => [e.name, e.fields ?? null, e.comps ?? null, e.values ?? null]));
  return plain(a) === plain(b);
}

/** Priorities compare case-insensitively, `info` being `Informational` (§1.8). */
function priorityKey(priority: string): string {
  const lower = priority.trim().toLowerCase();
  return lower === 'info' ? 'informational' : lower;
}
