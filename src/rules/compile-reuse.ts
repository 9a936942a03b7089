/**
 * Whole items carried over from an earlier compile of the same invocation. Environments over the
 * same upstream files differ in a few entries; a macro or rule whose entry is the same object, whose
 * condition reaches no list that changed and whose expansion uses no macro that changed compiles
 * exactly as before, so its result and its diagnostics are taken as they were, with no lookups.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';
import type { CompiledList, CompiledRule, MacroEntry, MergedRuleset, RuleEntry } from './model.js';
import { listReplacement } from './list-substitution.js';

/** What one item's compile read besides its entry: the lists substituted and the macros it expanded directly. */
export interface ItemDeps {
  /** The text lists were substituted in; its tokens are the list names it could reach. */
  text: string;
  usedLists: ReadonlySet<string>;
  usedMacros: ReadonlySet<string>;
}

export interface MacroTrace extends ItemDeps {
  entry: MacroEntry;
  /** The tree as parsed, the resolved tree, its canonical form and its resolve-cache key. */
  parsed: Expr;
  ast: Expr;
  compiledCondition: string;
  key: number;
}

export interface RuleTrace {
  entry: RuleEntry;
  /** Undefined when the rule was dropped before its condition was substituted (unknown source, output refused). */
  deps: ItemDeps | undefined;
  /** The compiled rule, or null when it was dropped. */
  compiled: CompiledRule | null;
  diagnostics: Diagnostic[];
}

/** A complete compile (no error), item by item, for the next compile with the same catalog and target to start from. */
export interface CompileTrace {
  lists: readonly CompiledList[];
  macros: Map<string, MacroTrace>;
  rules: Map<string, RuleTrace>;
}

/** The tokens of a text, as list substitution splits it (kept per text by the compile cache). */
export type TokensOf = (text: string) => ReadonlySet<string>;

/**
 * The items of an earlier compile that a compile of `merged` may take as they are; built by
 * `reuseFrom`, which gives undefined when the two are too far apart for the reasoning to hold.
 */
export class CompileReuse {
  constructor(
    private readonly base: CompileTrace,
    private readonly readsChangedList: (deps: ItemDeps) => boolean,
    private readonly changedMacros: ReadonlySet<string>,
  ) {}

  /** The earlier compile of this macro, when this compile gives exactly the same. */
  macro(entry: MacroEntry): MacroTrace | undefined {
    if (this.changedMacros.has(entry.name)) return undefined;
    const before = this.base.macros.get(entry.name);
    return before?.entry === entry ? before : undefined;
  }

  /** The earlier compile of this rule, when this compile gives exactly the same. */
  rule(entry: RuleEntry): RuleTrace | undefined {
    const before = this.base.rules.get(entry.name);
    if (before?.entry !== entry) return undefined;
    if (before.deps && (this.readsChangedList(before.deps) || usesAny(before.deps.usedMacros, this.changedMacros))) return undefined;
    return before;
  }
}

/**
 * What may be reused from `base` in a compile of `merged` with these compiled lists: none when a
 * list was reordered or removed (substitution runs in list order) or a list name is irregular
 * (it gets a pass in every text).
 */
export function reuseFrom(
  base: CompileTrace,
  merged: MergedRuleset,
  lists: readonly CompiledList[],
  hasIrregularLists: boolean,
  tokensOf: TokensOf,
): CompileReuse | undefined {
  if (hasIrregularLists || lists.length < base.lists.length) return undefined;
  const changedLists = new Set<string>();
  const added: string[] = [];
  for (let i = 0; i < lists.length; i++) {
    const list = lists[i];
    const before = base.lists[i];
    if (before === undefined) {
      added.push(list.name);
      changedLists.add(list.name);
    } else if (before.name !== list.name) {
      return undefined;
    } else if (before.items !== list.items && !sameItems(before.items, list.items)) {
      changedLists.add(list.name);
    }
  }
  // a list whose items name a new list now reaches it: texts that inserted those items change
  if (added.length > 0) {
    for (const list of base.lists) {
      const tokens = tokensOf(listReplacement(list.items));
      if (added.some((name) => tokens.has(name))) changedLists.add(list.name);
    }
  }
  const readsChangedList = (deps: ItemDeps): boolean => {
    if (changedLists.size === 0) return false;
    const tokens = tokensOf(deps.text);
    for (const name of changedLists) if (tokens.has(name) || deps.usedLists.has(name)) return true;
    return false;
  };
  const changedMacros = new Set<string>();
  for (const [name, entry] of merged.macros) {
    const before = base.macros.get(name);
    if (!before || before.entry !== entry || readsChangedList(before)) changedMacros.add(name);
  }
  for (const name of base.macros.keys()) if (!merged.macros.has(name)) changedMacros.add(name);
  // usedMacros names the macros expanded directly: spread the change until every macro expanding a changed one is found
  for (let grew = changedMacros.size > 0; grew; ) {
    grew = false;
    for (const [name, before] of base.macros) {
      if (!changedMacros.has(name) && usesAny(before.usedMacros, changedMacros)) grew = Boolean(changedMacros.add(name));
    }
  }
  return new CompileReuse(base, readsChangedList, changedMacros);
}

function usesAny(used: ReadonlySet<string>, changed: ReadonlySet<string>): boolean {
  if (used.size === 0 || changed.size === 0) return false;
  for (const name of changed) if (used.has(name)) return true;
  return false;
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Records a compile item by item; `finish` gives the trace when the compile completed without error. */
export class TraceRecorder {
  private readonly macros = new Map<string, MacroTrace>();
  private readonly rules = new Map<string, RuleTrace>();

  macro(trace: MacroTrace): void {
    this.macros.set(trace.entry.name, trace);
  }

  rule(trace: RuleTrace): void {
    this.rules.set(trace.entry.name, trace);
  }

  finish(lists: readonly CompiledList[]): CompileTrace {
    return { lists, macros: this.macros, rules: this.rules };
  }
}

