/**
 * Compiling from a base: fifty environments over the same upstream files differ in a few entries,
 * so after one complete compile (the base), a ruleset whose lists, macros and rules have the same
 * names in the same order compiles only the entries that changed and what they reach; everything
 * else (compiled macros and rules, each rule's diagnostics) is the base's. The result is what a
 * full compile gives: every condition whose inputs differ is compiled again by the same steps
 * (compile-item.ts), and the used flags are recounted from what each condition used.
 *
 * What a condition reads: its entry, the lists its substitution reached (a list whose compiled
 * items changed makes its readers dirty), and the macros its expansion replaced (a macro whose
 * expanded tree changed, by cache key, makes its readers dirty). Anything outside that (a name
 * added, removed or moved, a macro naming one defined after it, an error) gives undefined, and the
 * caller compiles in full.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';
import { knownSources, type FieldCatalog } from '../condition/index.js';
import type { CompiledMacro, CompiledRule, CompiledRuleset, ListEntry, MacroEntry, MergedRuleset, RuleEntry } from './model.js';
import type { CompileCache, ListTable } from './compile-cache.js';
import type { MacroTable } from './resolve-macros.js';
import { compileRule, parseMacro, resolveMacro, type MacroContext, type ParsedMacro, type RuleContext, type RuleOutcome } from './compile-item.js';
import { pluginRequirements, unknownSource, unusedWarnings } from './compile-warnings.js';
import type { TargetSemantics } from '../targets/semantics.js';

/** What one condition of the base read. */
interface ConditionRecord {
  /** Positions of the lists its substitution depended on. */
  reach: readonly number[];
  usedLists: ReadonlySet<string>;
  usedMacros: ReadonlySet<string>;
}

interface RuleRecord extends ConditionRecord {
  rule: CompiledRule | null;
  /** The diagnostics its compile gave, in order. */
  diagnostics: readonly Diagnostic[];
}

/** A complete compile, kept with what each of its conditions read. */
interface CompileBase {
  catalog: FieldCatalog;
  result: CompiledRuleset;
  lists: ListEntry[];
  macros: MacroEntry[];
  rules: RuleEntry[];
  macroPosition: Map<string, number>;
  macroRecords: ConditionRecord[];
  ruleRecords: RuleRecord[];
  macroKeys: number[];
  table: MacroTable;
  /** Per list position, how many conditions substituted it; per macro position, how many expanded it. */
  listUses: Int32Array;
  macroUses: Int32Array;
  /** Per list position, the conditions (macro position, or macro count + rule position) whose substitution reached it. */
  listReaders: number[][];
  /** Per macro position, the conditions whose expansion replaced it. */
  macroReaders: number[][];
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** Per cache, the latest complete compile for each target. */
const bases = new WeakMap<CompileCache, Map<TargetSemantics, CompileBase>>();

/** The latest complete compile through this cache for this target and catalog. */
export function baseOf(cache: CompileCache, target: TargetSemantics, catalog: FieldCatalog): CompileBase | undefined {
  const base = bases.get(cache)?.get(target);
  return base?.catalog === catalog ? base : undefined;
}

/** Records, during a full compile, what each macro and rule read; `keep` makes it the base. */
export class BaseRecorder {
  private readonly macroRecords: ConditionRecord[] = [];
  private readonly ruleRecords: RuleRecord[] = [];
  private readonly macroPosition = new Map<string, number>();
  /** A macro expanding one defined after it cannot be compiled from a base, which compiles in order. */
  private ordered = true;

  constructor(
    private readonly merged: MergedRuleset,
    private readonly lists: ListTable,
    private readonly cache: CompileCache,
  ) {
    let at = 0;
    for (const name of merged.macros.keys()) this.macroPosition.set(name, at++);
  }

  macro(parsed: ParsedMacro, usedMacros: ReadonlySet<string>): void {
    const at = this.macroRecords.length;
    for (const name of usedMacros) if ((this.macroPosition.get(name) ?? at) >= at) this.ordered = false;
    this.macroRecords.push({ reach: this.cache.reachOf(parsed.macro.entry.condition), usedLists: parsed.usedLists, usedMacros });
  }

  rule(outcome: RuleOutcome | null, diagnostics: Diagnostic[]): void {
    const reach = outcome && outcome.conditionText !== '' ? this.cache.reachOf(outcome.conditionText) : [];
    this.ruleRecords.push({
      reach,
      usedLists: outcome?.usedLists ?? NO_NAMES,
      usedMacros: outcome?.usedMacros ?? NO_NAMES,
      rule: outcome?.rule ?? null,
      diagnostics,
    });
  }

  /** Keeps the compile as the cache's base (or forgets the base when this compile cannot be one). */
  keep(target: TargetSemantics, catalog: FieldCatalog, result: CompiledRuleset, table: MacroTable, keys: Map<CompiledMacro, number>): void {
    let byTarget = bases.get(this.cache);
    if (!byTarget) bases.set(this.cache, (byTarget = new Map<TargetSemantics, CompileBase>()));
    if (!this.ordered) {
      byTarget.delete(target);
      return;
    }
    const macroCount = this.macroRecords.length;
    const listUses = new Int32Array(this.lists.lists.length);
    const macroUses = new Int32Array(macroCount);
    const listReaders: number[][] = this.lists.lists.map(() => []);
    const macroReaders: number[][] = result.macros.map(() => []);
    const read = (record: ConditionRecord, reader: number) => {
      for (const at of record.reach) listReaders[at].push(reader);
      for (const name of record.usedLists) {
        const at = this.lists.positionOf(name);
        if (at !== undefined) listUses[at] += 1;
      }
      for (const name of record.usedMacros) {
        const at = this.macroPosition.get(name)!;
        macroUses[at] += 1;
        macroReaders[at].push(reader);
      }
    };
    this.macroRecords.forEach((record, at) => read(record, at));
    this.ruleRecords.forEach((record, at) => read(record, macroCount + at));
    byTarget.set(target, {
      catalog,
      result,
      lists: [...this.merged.lists.values()],
      macros: [...this.merged.macros.values()],
      rules: [...this.merged.rules.values()],
      macroPosition: this.macroPosition,
      macroRecords: this.macroRecords,
      ruleRecords: this.ruleRecords,
      macroKeys: result.macros.map((m) => keys.get(m)!),
      table,
      listUses,
      macroUses,
      listReaders,
      macroReaders,
    });
  }
}

interface CompileEnvironment {
  cache: CompileCache;
  catalog: FieldCatalog;
  target: TargetSemantics;
}

/**
 * `merged` compiled from `base` into `result` (which holds the merge's diagnostics, none of them
 * errors), or undefined when it differs from the base in more than entries of the same names.
 */
export function compileFromBase(merged: MergedRuleset, base: CompileBase, result: CompiledRuleset, env: CompileEnvironment): CompiledRuleset | undefined {
  const macroCount = base.macros.length;
  const lists = changedEntries(merged.lists, base.lists);
  const macros = changedEntries(merged.macros, base.macros);
  const rules = changedEntries(merged.rules, base.rules);
  if (!lists || !macros || !rules) return undefined;

  const dirty = new Uint8Array(macroCount + base.rules.length);
  for (const at of macros.changed) dirty[at] = 1;
  for (const at of rules.changed) dirty[macroCount + at] = 1;
  const listTable = env.cache.compileLists(merged);
  for (let at = 0; at < listTable.lists.length; at++) {
    if (listTable.lists[at].items !== base.result.lists[at].items) for (const reader of base.listReaders[at]) dirty[reader] = 1;
  }

  const listUses = base.listUses.slice();
  const macroUses = base.macroUses.slice();
  const count = (record: { usedLists: ReadonlySet<string>; usedMacros: ReadonlySet<string> }, by: number) => {
    for (const name of record.usedLists) {
      const at = listTable.positionOf(name);
      if (at !== undefined) listUses[at] += by;
    }
    for (const name of record.usedMacros) macroUses[base.macroPosition.get(name)!] += by;
  };
  const diagnostics: Diagnostic[] = [];
  const context: MacroContext = {
    cache: env.cache,
    lists: listTable,
    diagnostics,
    subtrees: env.cache.subtreesFor(env.catalog, env.target),
    language: (expr: Expr, text: string) => env.target.languageError(expr, text),
    // counted from each outcome instead, once the condition compiled
    useLists: () => undefined,
    useMacros: () => undefined,
  };

  const keys = base.macroKeys.slice();
  const recompiled = new Array<CompiledMacro | undefined>(macroCount);
  // the base's macros, with those compiled again in their place
  const replaced = new Map<string, CompiledMacro>();
  const table: MacroTable = { get: (name) => replaced.get(name) ?? base.table.get(name), keys: () => base.table.keys() };
  const keyOf = (target: CompiledMacro) => keys[base.macroPosition.get(target.name)!];
  let visibility = 0;
  const isVisible = (target: CompiledMacro) => target.entry.index < visibility;
  for (let at = 0; at < macroCount; at++) {
    if (!dirty[at]) continue;
    const entry = macros.entries[at];
    const parsed = parseMacro(entry, context);
    if (!parsed) return undefined;
    for (const name of env.cache.macroRefs(parsed.macro.ast as Expr)) if ((base.macroPosition.get(name) ?? -1) >= at) return undefined;
    visibility = entry.visibility;
    const resolved = resolveMacro(parsed, table, isVisible, keyOf, () => [], context);
    if (!resolved) return undefined;
    count(base.macroRecords[at], -1);
    count({ usedLists: parsed.usedLists, usedMacros: resolved.usedMacros }, 1);
    replaced.set(entry.name, parsed.macro);
    recompiled[at] = parsed.macro;
    if (resolved.key !== keys[at]) {
      keys[at] = resolved.key;
      for (const reader of base.macroReaders[at]) dirty[reader] = 1;
    }
  }

  const sources = new Set(knownSources(env.catalog));
  const ruleContext: RuleContext = { ...context, catalog: env.catalog, macros: table, keyOf };
  const outcomes = new Array<{ rule: CompiledRule | null; diagnostics: readonly Diagnostic[] } | undefined>(base.rules.length);
  for (let at = 0; at < base.rules.length; at++) {
    if (!dirty[macroCount + at]) continue;
    const entry = rules.entries[at];
    count(base.ruleRecords[at], -1);
    if (!sources.has(entry.source)) {
      outcomes[at] = { rule: null, diagnostics: [unknownSource(entry.source, entry.name, entry.loc)] };
      continue;
    }
    const own: Diagnostic[] = [];
    ruleContext.diagnostics = own;
    const outcome = compileRule(entry, ruleContext);
    if (outcome === 'error') return undefined;
    count(outcome, 1);
    outcomes[at] = { rule: outcome.rule, diagnostics: own };
  }

  result.lists = listTable.lists;
  for (let at = 0; at < listUses.length; at++) if (listUses[at] > 0) listTable.lists[at].used = true;
  result.macros = new Array<CompiledMacro>(macroCount);
  for (let at = 0; at < macroCount; at++) {
    const used = macroUses[at] > 0;
    const macro = recompiled[at];
    if (macro) macro.used = used;
    const kept = base.result.macros[at];
    // the base's macro is shared, never modified
    result.macros[at] = macro ?? (kept.used === used ? kept : { ...kept, used });
  }
  for (let at = 0; at < base.rules.length; at++) {
    const outcome = outcomes[at] ?? base.ruleRecords[at];
    if (outcome.rule) result.rules.push(outcome.rule);
    for (const d of outcome.diagnostics) result.diagnostics.push(d);
  }
  result.diagnostics.push(...unusedWarnings(result), ...pluginRequirements(merged, env.target));
  return result;
}

/** The entries in order and the positions of those that are not the base's, or undefined when a name differs. */
function changedEntries<T extends { name: string; index: number }>(entries: Map<string, T>, base: readonly T[]): { entries: T[]; changed: number[] } | undefined {
  if (entries.size !== base.length) return undefined;
  const all = new Array<T>(base.length);
  const changed: number[] = [];
  let at = 0;
  for (const entry of entries.values()) {
    if (entry !== base[at]) {
      // the same names in the same order, first defined at the same points: visibility compares as in the base
      if (entry.name !== base[at].name || entry.index !== base[at].index) return undefined;
      changed.push(at);
    }
    all[at++] = entry;
  }
  return { entries: all, changed };
}
