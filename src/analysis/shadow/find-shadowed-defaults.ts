/**
 * Shadowed defaults (the `upstream check`): for every item of ours that patches an upstream item,
 * what moving upstream from base to theirs does to it. Pure: read files in, findings out.
 */
import { collapseWhitespace, sameCondition } from '../../condition/index.js';
import type { ExceptionDef, MergeCache, RulesFile } from '../../rules/index.js';
import { collectOurPatches, type OurPatch } from './our-patches.js';
import { conditionTokens, exceptionTokens, reachedItems } from './references.js';
import type { FieldView, InheritedRule, ShadowFinding, ShadowItemType } from './shadow-finding.js';
import { definitionLoc, mergeUpstream, type UpstreamRuleset, type UpstreamRule } from './upstream-ruleset.js';
import { findRenamed } from './find-renamed.js';

export interface ShadowInput {
  /** Upstream files at the locked version, in load order. */
  base: readonly RulesFile[];
  /** Upstream files at the new version, in load order. */
  theirs: readonly RulesFile[];
  /** Our files (organisation rules, overlays), in load order. */
  ours: readonly RulesFile[];
  environment?: string;
  /** Shared by the merges of one invocation (several environments over the same upstream files). */
  mergeCache?: MergeCache;
}

export function findShadowedDefaults(input: ShadowInput): ShadowFinding[] {
  const base = mergeUpstream(input.base, input.mergeCache);
  const theirs = mergeUpstream(input.theirs, input.mergeCache);
  const patches = collectOurPatches(input.ours);
  const findings = new Map<string, ShadowFinding>();
  const add = (f: ShadowFinding) => {
    if (!findings.has(f.id)) findings.set(f.id, input.environment === undefined ? f : { ...f, environment: input.environment });
  };
  for (const patch of patches) {
    if (!has(base, patch.itemType, patch.name)) {
      if (patch.redefines && has(theirs, patch.itemType, patch.name)) add(collision(patch, theirs));
      continue;
    }
    const orphan = !has(theirs, patch.itemType, patch.name);
    if (orphan) add(orphaned(patch, base, theirs));
    else if (patch.relation === 'replace') {
      const changed = changedUnderneath(patch, base, theirs);
      if (changed) add(changed);
      if (patch.itemType === 'rule') {
        const hook = hookAvailable(patch, base.rules.get(patch.name)!, theirs.rules.get(patch.name)!, theirs);
        if (hook) add(hook);
      }
    }
  }
  for (const f of inherited(patches, base, theirs)) add(f);
  return [...findings.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function has(view: UpstreamRuleset, type: ShadowItemType, name: string): boolean {
  return (type === 'list' ? view.lists : type === 'macro' ? view.macros : view.rules).has(name);
}

function locOf(view: UpstreamRuleset, type: ShadowItemType, name: string) {
  const entry = (type === 'list' ? view.lists : type === 'macro' ? view.macros : view.rules).get(name);
  return entry && definitionLoc(entry);
}

function changedUnderneath(patch: OurPatch, base: UpstreamRuleset, theirs: UpstreamRuleset): ShadowFinding | null {
  const fields: FieldView[] = [];
  const { itemType, name } = patch;
  if (itemType === 'list') {
    const b = base.lists.get(name)!.items;
    const t = theirs.lists.get(name)!.items;
    const ours = (patch.values.items as string[] | undefined) ?? [];
    const { added, removed } = hiddenChanges(b, t, ours);
    if (added.length + removed.length > 0) fields.push({ field: 'items', base: b, theirs: t, ours, added, removed });
  } else if (itemType === 'macro') {
    const b = base.macros.get(name)!.condition;
    const t = theirs.macros.get(name)!.condition;
    const ours = patch.values.condition as string | undefined;
    if (!sameCondition(b, t) && (ours === undefined || !sameCondition(ours, t))) fields.push({ field: 'condition', base: b, theirs: t, ours: ours ?? null });
  } else {
    const b = base.rules.get(name)!;
    const t = theirs.rules.get(name)!;
    for (const field of patch.replaced) {
      if (field === 'items') continue;
      const view = ruleFieldView(field, b, t, patch);
      if (view) fields.push(view);
    }
  }
  if (fields.length === 0) return null;
  const what = fields.map((f) => f.field).join(', ');
  return {
    id: `changed-underneath/${itemType}/${name}`,
    kind: 'changed-underneath',
    itemType,
    itemName: name,
    severity: 'warning',
    relation: 'replace',
    message: `upstream changed ${itemType} '${name}' (${what}) but our copy replaces it, so the change is hidden`,
    ours: patch.loc,
    base: locOf(base, itemType, name),
    theirs: locOf(theirs, itemType, name),
    fields,
    fix:
      itemType === 'list'
        ? 'rebase: take upstream additions and removals into our copy, or switch to `override: {items: append}`'
        : itemType === 'macro'
          ? "review upstream's new condition; if ours only adds a clause, rewrite it as `override: {condition: append}`"
          : "review upstream's new rule; patch it with `exceptions` or an append override instead of a full copy",
  };
}

/** Upstream now ships an item under a name we already define: ours silently replaces it. */
function collision(patch: OurPatch, theirs: UpstreamRuleset): ShadowFinding {
  const { itemType, name } = patch;
  return {
    id: `changed-underneath/${itemType}/${name}`,
    kind: 'changed-underneath',
    itemType,
    itemName: name,
    severity: 'warning',
    relation: 'replace',
    message: `upstream now ships a ${itemType} named '${name}'; ours has the same name and replaces it, so upstream's is hidden`,
    ours: patch.loc,
    theirs: locOf(theirs, itemType, name),
    fields: [],
    fix: `rename our ${itemType} '${name}' if it is not meant to replace upstream's, or review upstream's and keep only our difference`,
  };
}

function ruleFieldView(field: Exclude<FieldView['field'], 'items'>, b: UpstreamRule, t: UpstreamRule, patch: OurPatch): FieldView | null {
  const ours = patch.values[field] ?? null;
  switch (field) {
    case 'condition':
      return sameCondition(b.condition, t.condition) || (typeof ours === 'string' && sameCondition(ours, t.condition))
        ? null
        : { field, base: b.condition, theirs: t.condition, ours };
    case 'output':
    case 'desc': {
      const same = (x: string, y: string) => collapseWhitespace(x) === collapseWhitespace(y);
      return same(b[field], t[field]) || (typeof ours === 'string' && same(ours, t[field])) ? null : { field, base: b[field], theirs: t[field], ours };
    }
    case 'priority':
      return b.priority === t.priority || ours === t.priority ? null : { field, base: b.priority, theirs: t.priority, ours };
    case 'enabled':
      return b.enabled === t.enabled || ours === t.enabled ? null : { field, base: b.enabled, theirs: t.enabled, ours };
    case 'tags': {
      const { added, removed } = hiddenChanges(b.tags, t.tags, Array.isArray(ours) ? ours : []);
      return added.length + removed.length === 0 ? null : { field, base: sortedSet(b.tags), theirs: sortedSet(t.tags), ours, added, removed };
    }
    case 'exceptions': {
      const bk = new Map(b.exceptions.map((e) => [e.name, exceptionKey(e)]));
      const tk = new Map(t.exceptions.map((e) => [e.name, exceptionKey(e)]));
      const added = [...tk.keys()].filter((n) => bk.get(n) !== tk.get(n));
      const removed = [...bk.keys()].filter((n) => !tk.has(n));
      return added.length + removed.length === 0 ? null : { field, base: [...bk.keys()], theirs: [...tk.keys()], ours, added, removed };
    }
  }
}

function orphaned(patch: OurPatch, base: UpstreamRuleset, theirs: UpstreamRuleset): ShadowFinding {
  const { itemType, name } = patch;
  const renamedTo = findRenamed(itemType, name, base, theirs);
  // Appends, replace overrides and enabled toggles need a previous definition (§2.2, §2.3); a
  // redefinition of a list, macro or rule simply stands alone.
  const failsToLoad = !patch.redefines;
  const becomes = renamedTo === undefined ? '' : ` (it likely became ${itemType} '${renamedTo}')`;
  return {
    id: `orphaned/${itemType}/${name}`,
    kind: 'orphaned',
    itemType,
    itemName: name,
    severity: failsToLoad ? 'error' : 'warning',
    relation: patch.relation,
    message: failsToLoad
      ? `upstream removed ${itemType} '${name}'${becomes}; Falco refuses our ${patch.relation === 'enable' ? 'toggle' : patch.relation === 'append' ? 'append' : 'override'} of it`
      : `upstream removed ${itemType} '${name}'${becomes}; our copy now stands alone and upstream no longer uses it`,
    ours: patch.loc,
    base: locOf(base, itemType, name),
    ...(renamedTo === undefined ? {} : { theirs: locOf(theirs, itemType, renamedTo), renamedTo }),
    failsToLoad,
    fix:
      renamedTo === undefined
        ? `remove our ${itemType} '${name}' or move its intent to what replaced it upstream`
        : `rename our ${itemType} '${name}' to '${renamedTo}' and review it`,
  };
}

function inherited(patches: OurPatch[], base: UpstreamRuleset, theirs: UpstreamRuleset): ShadowFinding[] {
  const replaced = new Map<string, OurPatch>();
  for (const p of patches) {
    if (p.relation !== 'replace' || p.itemType === 'rule') continue;
    const key = `${p.itemType}:${p.name}`;
    if (!replaced.has(key) && has(base, p.itemType, p.name) && has(theirs, p.itemType, p.name)) replaced.set(key, p);
  }
  if (replaced.size === 0) return [];
  const baseMemo = new Map<string, Set<string>>();
  const theirMemo = new Map<string, Set<string>>();
  const hits = new Map<string, InheritedRule[]>();
  for (const rule of theirs.rules.values()) {
    const reached = reachedItems(ruleTokens(rule), theirs, theirMemo);
    const touched = [...replaced.keys()].filter((k) => reached.has(k));
    if (touched.length === 0) continue;
    const before = base.rules.get(rule.name);
    const reachedBefore = before ? reachedItems(ruleTokens(before), base, baseMemo) : new Set<string>();
    for (const key of touched) {
      if (before && reachedBefore.has(key)) continue;
      const list = hits.get(key) ?? [];
      list.push({ rule: rule.name, reason: before ? 'now-uses' : 'new', theirs: definitionLoc(rule) });
      hits.set(key, list);
    }
  }
  const out: ShadowFinding[] = [];
  for (const [key, rules] of hits) {
    const p = replaced.get(key)!;
    rules.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    out.push({
      id: `inherited/${p.itemType}/${p.name}`,
      kind: 'inherited',
      itemType: p.itemType,
      itemName: p.name,
      severity: 'warning',
      relation: 'replace',
      message: `${rules.length} upstream rule(s) new to this version now use our replaced ${p.itemType} '${p.name}': ${rules.map((r) => r.rule).join(', ')}`,
      ours: p.loc,
      base: locOf(base, p.itemType, p.name),
      theirs: locOf(theirs, p.itemType, p.name),
      rules,
      fix: `review each listed rule with our ${p.itemType} '${p.name}'; if ours only adds to upstream's, make it an append`,
    });
  }
  return out;
}

/** Upstream's tuning macros: `user_known_*` (and other `user_*`) in the falco era, `known_*` since rules 2.0. */
const TUNING_MACRO = /^(user|known)_/;

function hookAvailable(patch: OurPatch, b: UpstreamRule, t: UpstreamRule, theirs: UpstreamRuleset): ShadowFinding | null {
  const replacesCondition = patch.replaced.includes('condition');
  if (!replacesCondition) return null;
  const before = conditionTokens(b.condition);
  const macro = [...conditionTokens(t.condition)].filter((tok) => TUNING_MACRO.test(tok) && theirs.macros.has(tok) && !before.has(tok)).sort()[0];
  const baseExceptions = new Set(b.exceptions.map((e) => e.name));
  const exception = t.exceptions.map((e) => e.name).find((n) => !baseExceptions.has(n));
  const hook = macro !== undefined ? { kind: 'macro' as const, name: macro } : exception !== undefined ? { kind: 'exception' as const, name: exception } : null;
  if (!hook) return null;
  return {
    id: `hook-available/rule/${patch.name}`,
    kind: 'hook-available',
    itemType: 'rule',
    itemName: patch.name,
    severity: 'note',
    relation: 'replace',
    message:
      hook.kind === 'macro'
        ? `upstream rule '${patch.name}' now offers the macro '${hook.name}' for tuning; our replacement of its condition can become an override of that macro`
        : `upstream rule '${patch.name}' now has the exception '${hook.name}'; our replacement of its condition can become values appended to it`,
    ours: patch.loc,
    base: definitionLoc(b),
    theirs: definitionLoc(t),
    hook,
    fix:
      hook.kind === 'macro'
        ? `drop our copy of the rule and define macro '${hook.name}' with our extra clause`
        : `drop our copy of the rule and add our values with \`override: {exceptions: append}\` under exception '${hook.name}'`,
  };
}

function ruleTokens(rule: UpstreamRule): Set<string> {
  const tokens = conditionTokens(rule.condition);
  for (const t of exceptionTokens(rule.exceptions)) tokens.add(t);
  return tokens;
}

function exceptionKey(e: ExceptionDef): string {
  return JSON.stringify([e.fields ?? null, e.comps ?? null, e.values ?? null]);
}

/** Upstream's additions our copy lacks and its removals our copy still has: what our copy hides. */
function hiddenChanges(base: readonly string[], theirs: readonly string[], ours: readonly string[]): { added: string[]; removed: string[] } {
  const kept = new Set(ours);
  return { added: minus(theirs, base).filter((i) => !kept.has(i)), removed: minus(base, theirs).filter((i) => kept.has(i)) };
}

function sortedSet(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

function minus(a: readonly string[], b: readonly string[]): string[] {
  const bs = new Set(b);
  return [...new Set(a.filter((x) => !bs.has(x)))];
}
