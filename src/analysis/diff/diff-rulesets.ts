import semver from 'semver';
import { defaultCatalog, eventTypeNames, isUnrestricted, resolveEventCodes } from '../../condition/index.js';
import type { CompiledMacro, CompiledRule, CompiledRuleset, ExceptionDef, PluginRequirement } from '../../rules/index.js';
import type { DiffChange, RulesetDiff } from './ruleset-diff.js';
import { compareStrings } from '../../config/compare-paths.js';

/**
 * Compares two compiled rulesets as Falco would run them: rules by name (compiled condition, so a
 * macro or list change shows up in every rule it reaches), macros, lists and requirements.
 */
export function diffRulesets(base: CompiledRuleset, head: CompiledRuleset): RulesetDiff {
  const changes: DiffChange[] = [];
  changes.push(...diffRequirements(base, head));

  const baseRules = new Map(base.rules.map((r) => [r.name, r]));
  const headRules = new Map(head.rules.map((r) => [r.name, r]));
  for (const name of sortedKeys(baseRules)) if (!headRules.has(name)) changes.push({ kind: 'rule-removed', rule: name });
  for (const name of sortedKeys(headRules)) if (!baseRules.has(name)) changes.push({ kind: 'rule-added', rule: name });
  for (const name of sortedKeys(headRules)) {
    const b = baseRules.get(name);
    if (b) changes.push(...diffRule(b, headRules.get(name)!));
  }

  const baseMacros = new Map(base.macros.map((m) => [m.name, m]));
  const headMacros = new Map(head.macros.map((m) => [m.name, m]));
  for (const name of sortedKeys(baseMacros)) if (!headMacros.has(name)) changes.push({ kind: 'macro-removed', macro: name });
  for (const name of sortedKeys(headMacros)) {
    const b = baseMacros.get(name);
    const h = headMacros.get(name)!;
    if (!b) changes.push({ kind: 'macro-added', macro: name });
    else {
      const before = b.compiledCondition ?? b.condition;
      const after = h.compiledCondition ?? h.condition;
      if (before !== after) {
        changes.push({ kind: 'macro-changed', macro: name, before, after });
        const events = diffEvents(macroEvents(b), macroEvents(h));
        if (events) changes.push({ kind: 'macro-events-changed', macro: name, ...events });
      }
    }
  }

  const baseLists = new Map(base.lists.map((l) => [l.name, l]));
  const headLists = new Map(head.lists.map((l) => [l.name, l]));
  for (const name of sortedKeys(baseLists)) if (!headLists.has(name)) changes.push({ kind: 'list-removed', list: name });
  for (const name of sortedKeys(headLists)) {
    const b = baseLists.get(name);
    const h = headLists.get(name)!;
    if (!b) changes.push({ kind: 'list-added', list: name });
    else {
      const added = setMinus(h.items, b.items);
      const removed = setMinus(b.items, h.items);
      if (added.length + removed.length > 0) changes.push({ kind: 'list-items-changed', list: name, added, removed });
    }
  }
  return { changes };
}

function diffRule(b: CompiledRule, h: CompiledRule): DiffChange[] {
  const rule = h.name;
  const out: DiffChange[] = [];
  if (b.enabled && !h.enabled) out.push({ kind: 'rule-disabled', rule });
  if (!b.enabled && h.enabled) out.push({ kind: 'rule-enabled', rule });
  if (b.source !== h.source) out.push({ kind: 'rule-source-changed', rule, before: b.source, after: h.source });
  if (b.compiledCondition !== h.compiledCondition) {
    out.push({ kind: 'rule-condition-changed', rule, before: b.compiledCondition, after: h.compiledCondition });
  }
  const events = diffEvents(b.eventTypes, h.eventTypes);
  if (events) out.push({ kind: 'rule-events-changed', rule, ...events });
  if (b.priority !== h.priority) out.push({ kind: 'rule-priority-changed', rule, before: b.priority, after: h.priority });
  const tagsAdded = setMinus(h.tags, b.tags);
  const tagsRemoved = setMinus(b.tags, h.tags);
  if (tagsAdded.length + tagsRemoved.length > 0) out.push({ kind: 'rule-tags-changed', rule, added: tagsAdded, removed: tagsRemoved });
  if (b.output.trim() !== h.output.trim()) {
    const fb = outputFields(b.output);
    const fh = outputFields(h.output);
    out.push({ kind: 'rule-output-changed', rule, before: b.output, after: h.output, fieldsAdded: setMinus(fh, fb), fieldsRemoved: setMinus(fb, fh) });
  }
  const exceptions = diffExceptions(b.exceptions, h.exceptions);
  if (exceptions) out.push({ kind: 'rule-exceptions-changed', rule, ...exceptions });
  if (b.description.trim() !== h.description.trim()) out.push({ kind: 'rule-description-changed', rule });
  return out;
}

const ALL_EVENTS = '*';

/** The event types a macro's expanded condition can match, as the checker reads them from `falco -L`; null: all. */
function macroEvents(m: CompiledMacro): string[] | null {
  if (!m.ast) return null;
  const codes = resolveEventCodes(m.ast, defaultCatalog);
  return isUnrestricted(codes) ? null : eventTypeNames(codes, defaultCatalog);
}

function diffEvents(b: string[] | null, h: string[] | null): { gained: string[]; lost: string[] } | null {
  if (b === null && h === null) return null;
  if (b === null) return { gained: [], lost: [ALL_EVENTS] };
  if (h === null) return { gained: [ALL_EVENTS], lost: [] };
  const gained = setMinus(h, b);
  const lost = setMinus(b, h);
  return gained.length + lost.length === 0 ? null : { gained, lost };
}

function diffExceptions(b: ExceptionDef[], h: ExceptionDef[]): { added: string[]; removed: string[]; changed: string[] } | null {
  const bm = new Map(b.map((e) => [e.name, exceptionKey(e)]));
  const hm = new Map(h.map((e) => [e.name, exceptionKey(e)]));
  const added = sortedKeys(hm).filter((n) => !bm.has(n));
  const removed = sortedKeys(bm).filter((n) => !hm.has(n));
  const changed = sortedKeys(hm).filter((n) => bm.has(n) && bm.get(n) !== hm.get(n));
  return added.length + removed.length + changed.length === 0 ? null : { added, removed, changed };
}

function exceptionKey(e: ExceptionDef): string {
  return JSON.stringify([e.fields ?? null, e.comps ?? null, e.values ?? null]);
}

/** `%proc.name`, `%evt.arg[0]`, `%proc.aname[2]` as written in an output. */
export function outputFields(output: string): string[] {
  const found = output.match(/%[A-Za-z_][A-Za-z0-9_.]*(\[[^\]]*\])?/g) ?? [];
  return [...new Set(found.map((f) => f.slice(1)))].sort();
}

function diffRequirements(base: CompiledRuleset, head: CompiledRuleset): DiffChange[] {
  const out: DiffChange[] = [];
  if (base.requiredEngineVersion !== head.requiredEngineVersion) {
    out.push({ kind: 'engine-version-changed', before: base.requiredEngineVersion, after: head.requiredEngineVersion });
  }
  out.push(...diffPlugins(base.requiredPluginVersions, head.requiredPluginVersions));
  return out;
}

/** Plugin requirements compared as falcosecurity/rules' checker does (each block: a plugin and its alternatives). */
function diffPlugins(base: PluginRequirement[], head: PluginRequirement[]): DiffChange[] {
  const out: DiffChange[] = [];
  const find = (reqs: PluginRequirement[], name: string) => reqs.find((r) => r.name === name || r.alternatives.some((a) => a.name === name));
  const versionIn = (r: PluginRequirement, name: string) => (r.name === name ? r.version : r.alternatives.find((a) => a.name === name)?.version);
  const members = (r: PluginRequirement) => [{ name: r.name, version: r.version }, ...r.alternatives];
  for (const b of base) {
    const gone = members(b).filter((m) => !find(head, m.name));
    if (gone.length === members(b).length) out.push({ kind: 'plugin-requirement-removed', plugin: b.name });
    else for (const m of gone) out.push({ kind: 'plugin-alternative-removed', plugin: m.name });
    for (const m of members(b)) {
      const h = find(head, m.name);
      const after = h && versionIn(h, m.name);
      const cmp = after ? compareVersions(m.version, after) : 0;
      if (after && cmp < 0) out.push({ kind: 'plugin-version-incremented', plugin: m.name, before: m.version, after });
      if (after && cmp > 0) out.push({ kind: 'plugin-version-decremented', plugin: m.name, before: m.version, after });
    }
  }
  for (const h of head) {
    const b = members(h)
      .map((m) => find(base, m.name))
      .find((x) => x !== undefined);
    if (!b) {
      out.push({ kind: 'plugin-requirement-added', plugin: h.name });
      continue;
    }
    for (const m of members(h)) if (!members(b).some((x) => x.name === m.name)) out.push({ kind: 'plugin-alternative-added', plugin: m.name });
  }
  return out;
}

function compareVersions(a: string, b: string): number {
  const va = semver.coerce(a);
  const vb = semver.coerce(b);
  if (!va || !vb) return compareStrings(a, b);
  return semver.compare(va, vb);
}

function setMinus(a: readonly string[], b: readonly string[]): string[] {
  const bs = new Set(b);
  return [...new Set(a.filter((x) => !bs.has(x)))].sort();
}

function sortedKeys<V>(m: Map<string, V>): string[] {
  return [...m.keys()].sort(compareStrings);
}
