/**
 * The compile stage (Falco's rule_loader_compiler, docs/falco-rules-semantics.md §11): lists, then
 * macros, then rules, each in definition order; stops at the first compile error, then reports
 * unused macros and lists.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';
import { knownSources, type FieldCatalog } from '../condition/index.js';
import type { CompiledMacro, CompiledRuleset, MergedRuleset } from './model.js';
import { compileLists } from './compile-lists.js';
import { fieldHint } from './condition-hints.js';
import { CompileCache, ListTable } from './compile-cache.js';
import { compileRule, parseMacro, resolveMacro, withHint, type MacroContext, type ParsedMacro, type RuleContext } from './compile-item.js';
import { BaseRecorder, baseOf, compileFromBase } from './compile-base.js';
import { pluginRequirements, unknownSource, unusedWarnings } from './compile-warnings.js';
import { defaultTarget } from '../targets/target.js';
import { semanticsOf, type TargetSemantics } from '../targets/semantics.js';

export interface CompileOptions {
  /** The Falco version and plugins to load for; the newest release with its default plugins when absent. */
  target?: TargetSemantics;
  /** Overrides the target's field catalog. */
  catalog?: FieldCatalog;
  /**
   * Shared by the compiles of one invocation (e.g. every environment over the same upstream files):
   * unchanged conditions, macros and rules are then parsed, expanded and analysed once, and a
   * ruleset that differs from the latest complete compile in a few entries compiles only what
   * those entries reach (compile-base.ts).
   */
  cache?: CompileCache;
}

export function compileRuleset(merged: MergedRuleset, options: CompileOptions = {}): CompiledRuleset {
  const target = options.target ?? semanticsOf(defaultTarget());
  const catalog = options.catalog ?? target.catalog;
  const diagnostics = mergeDiagnostics(merged, catalog);
  const result: CompiledRuleset = {
    ok: false,
    diagnostics,
    rules: [],
    macros: [],
    lists: [],
    requiredEngineVersion: merged.requiredEngineVersion,
    requiredPluginVersions: merged.requiredPluginVersions,
    merged,
  };
  if (diagnostics.some((d) => d.severity === 'error')) return result;

  const cache = options.cache ?? new CompileCache();
  const base = options.cache && baseOf(options.cache, target, catalog);
  const fromBase = base && compileFromBase(merged, base, result, { cache, catalog, target });
  if (fromBase) return finish(fromBase);

  const listTable = options.cache ? cache.compileLists(merged) : new ListTable(compileLists(merged));
  const lists = listTable.lists;
  result.lists = lists;
  const table = new Map<string, CompiledMacro>();
  const markMacros = (names: ReadonlySet<string>) => {
    for (const name of names) {
      const macro = table.get(name);
      if (macro) macro.used = true;
    }
  };
  const subtrees = cache.subtreesFor(catalog, target);
  const context: MacroContext = {
    cache,
    lists: listTable,
    diagnostics,
    subtrees,
    language: (expr: Expr, text: string) => target.languageError(expr, text),
    useLists: (names) => listTable.markUsed(names),
    useMacros: markMacros,
  };
  const recorder = options.cache ? new BaseRecorder(merged, listTable, cache) : undefined;
  const macros = compileMacros(merged, table, context, recorder);
  result.macros = macros.compiled;
  if (macros.failed) return finish(result);

  const sources = new Set(knownSources(catalog));
  const ruleContext: RuleContext = { ...context, catalog, macros: table, keyOf: (macro) => macros.keys.get(macro) };
  for (const entry of merged.rules.values()) {
    const before = diagnostics.length;
    if (!sources.has(entry.source)) {
      diagnostics.push(unknownSource(entry.source, entry.name, entry.loc));
      recorder?.rule(null, diagnostics.slice(before));
      continue;
    }
    const outcome = compileRule(entry, ruleContext);
    if (outcome === 'error') return finish(result);
    if (outcome.rule) result.rules.push(outcome.rule);
    recorder?.rule(outcome, diagnostics.slice(before));
  }

  diagnostics.push(...unusedWarnings(result), ...pluginRequirements(merged, target));
  recorder?.keep(target, catalog, result, table, macros.keys);
  return finish(result);
}

function finish(result: CompiledRuleset): CompiledRuleset {
  result.ok = !result.diagnostics.some((d) => d.severity === 'error');
  return result;
}

/** The merge's diagnostics: an exception's unknown field is refused while merging, before the catalog is at hand, so its hint is added here. */
function mergeDiagnostics(merged: MergedRuleset, catalog: FieldCatalog): Diagnostic[] {
  return merged.diagnostics.map((d) => (d.itemType === 'exception' && d.hint === undefined ? withHint(d, fieldHint(d.message, catalog, sourceOfException(merged, d.itemName))) : d));
}

interface CompiledMacros {
  compiled: CompiledMacro[];
  /** Cache keys of the resolved macros: equal keys, same expanded tree. */
  keys: Map<CompiledMacro, number>;
  failed: boolean;
}

/** Macros: substitute lists, parse (even unused ones), then resolve references with visibility (§4). */
function compileMacros(merged: MergedRuleset, table: Map<string, CompiledMacro>, ctx: MacroContext, recorder: BaseRecorder | undefined): CompiledMacros {
  const compiled: CompiledMacro[] = [];
  const keys = new Map<CompiledMacro, number>();
  const parsed: ParsedMacro[] = [];
  for (const entry of merged.macros.values()) {
    const macro = parseMacro(entry, ctx);
    if (!macro) return { compiled, keys, failed: true };
    compiled.push(macro.macro);
    parsed.push(macro);
    table.set(entry.name, macro.macro);
  }
  const keyOf = (target: CompiledMacro) => keys.get(target);
  // the macro being resolved sees those first defined before its latest change
  let visibility = 0;
  const isVisible = (target: CompiledMacro) => target.entry.index < visibility;
  const visibleNames = () => compiled.filter((m) => isVisible(m)).map((m) => m.name);
  for (const macro of parsed) {
    visibility = macro.macro.entry.visibility;
    const resolved = resolveMacro(macro, table, isVisible, keyOf, visibleNames, ctx);
    if (!resolved) return { compiled, keys, failed: true };
    keys.set(macro.macro, resolved.key);
    recorder?.macro(macro, resolved.usedMacros);
  }
  return { compiled, keys, failed: false };
}

/** The source of the rule that has an exception of this name (rules are Falco's syscall source unless they say otherwise). */
function sourceOfException(merged: MergedRuleset, name: string): string {
  return [...merged.rules.values()].find((r) => r.exceptions.some((e) => e.name === name))?.source ?? 'syscall';
}
