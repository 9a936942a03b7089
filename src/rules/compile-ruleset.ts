/**
 * The compile stage (Falco's rule_loader_compiler, docs/falco-rules-semantics.md §11): lists, then
 * macros, then rules, each in definition order; stops at the first compile error, then reports
 * unused macros and lists.
 */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { Expr, Span } from '../condition/ast.js';
import {
  knownSources,
  type FieldCatalog,
} from '../condition/index.js';
import type {
  CompiledMacro,
  CompiledRule,
  CompiledRuleset,
  MacroEntry,
  MergedRuleset,
  RuleEntry,
} from './model.js';
import { exactOffsetLoc, firstFailingLeaf, locateOffset, nodesOf } from './condition-locations.js';
import { compileLists } from './compile-lists.js';
import { fieldHint, macroHint, macroOrigin } from './condition-hints.js';
import type { MacroTable } from './resolve-macros.js';
import { CompileCache, ListTable } from './compile-cache.js';
import type { SharedSubtrees } from './shared-subtrees.js';
import { defaultTarget } from '../targets/target.js';
import { semanticsOf, type TargetSemantics } from '../targets/semantics.js';
import { pluginRequirementDiagnostic } from '../targets/plugin-requirements.js';

const NO_LOC: Loc = { file: '', line: 1, column: 1 };

export interface CompileOptions {
  /** The Falco version and plugins to load for; the newest release with its default plugins when absent. */
  target?: TargetSemantics;
  /** Overrides the target's field catalog. */
  catalog?: FieldCatalog;
  /**
   * Shared by the compiles of one invocation (e.g. every environment over the same upstream files):
   * unchanged conditions, macros and rules are then parsed, expanded and analysed once.
   */
  cache?: CompileCache;
}

const CONTAINER_INFO = '%container.info';
const SKIPPABLE_ERROR = /nonexistent field|invalid formatting token|unknown event type|unknown filter:/;

export function compileRuleset(merged: MergedRuleset, options: CompileOptions = {}): CompiledRuleset {
  const target = options.target ?? semanticsOf(defaultTarget());
  const catalog = options.catalog ?? target.catalog;
  // an exception's unknown field is refused while merging, before the catalog is at hand
  const diagnostics: Diagnostic[] = merged.diagnostics.map((d) =>
    d.itemType === 'exception' && d.hint === undefined ? withHint(d, fieldHint(d.message, catalog, sourceOfException(merged, d.itemName))) : d,
  );
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
  const listTable = options.cache ? cache.compileLists(merged) : new ListTable(compileLists(merged));
  const lists = listTable.lists;
  result.lists = lists;

  const subtrees = cache.subtreesFor(catalog, target);
  const language = (expr: Expr, text: string) => target.languageError(expr, text);
  const macros = compileMacros(merged, { cache, lists: listTable, diagnostics, subtrees, language });
  result.macros = macros.compiled;
  if (macros.failed) return finish(result);

  const sources = new Set(knownSources(catalog));
  const ruleContext: RuleContext = { cache, catalog, lists: listTable, macros: macros.table, macroKeys: macros.keys, diagnostics, subtrees, language };
  for (const entry of merged.rules.values()) {
    if (!sources.has(entry.source)) {
      diagnostics.push(warning('LOAD_UNKNOWN_SOURCE', 'rule', entry.name, `Unknown source ${entry.source}, skipping`, entry.loc));
      continue;
    }
    const compiled = compileRule(entry, ruleContext);
    if (compiled === 'error') return finish(result);
    if (compiled) result.rules.push(compiled);
  }

  for (const macro of macros.compiled) {
    if (!macro.used) {
      diagnostics.push(warning('LOAD_UNUSED_MACRO', 'macro', macro.name, 'Macro not referred to by any other rule/macro', macro.entry.loc));
    }
  }
  for (const list of lists) {
    if (!list.used) {
      diagnostics.push(warning('LOAD_UNUSED_LIST', 'list', list.name, 'List not referred to by any other rule/macro', list.entry.loc));
    }
  }
  // Falco checks plugin requirements once every file is loaded; an unmet one stops it.
  const unmet = pluginRequirementDiagnostic(merged.requiredPluginVersions, merged.requiredPluginVersionLocs ?? [], target.target, merged.requiredPluginVersionLocs?.[0] ?? NO_LOC);
  if (unmet) diagnostics.push(unmet);
  return finish(result);
}

function finish(result: CompiledRuleset): CompiledRuleset {
  result.ok = !result.diagnostics.some((d) => d.severity === 'error');
  return result;
}

interface CompiledMacros {
  compiled: CompiledMacro[];
  table: MacroTable;
  /** Cache keys of the resolved macros: equal keys, same expanded tree. */
  keys: Map<CompiledMacro, number>;
  failed: boolean;
}

interface MacroContext {
  cache: CompileCache;
  lists: ListTable;
  diagnostics: Diagnostic[];
  subtrees: SharedSubtrees;
  /** The target parser's refusal of an operator or transformer it does not know. */
  language: (expr: Expr, text: string) => { message: string; span: Span } | null;
}

/** Macros: substitute lists, parse (even unused ones), then resolve references with visibility (§4). */
function compileMacros(merged: MergedRuleset, ctx: MacroContext): CompiledMacros {
  const { cache, diagnostics } = ctx;
  const compiled: CompiledMacro[] = [];
  const table: MacroTable = new Map();
  const keys = new Map<CompiledMacro, number>();
  const parsedTexts: string[] = [];
  for (const entry of merged.macros.values()) {
    const substituted = cache.substitute(entry.condition, ctx.lists);
    ctx.lists.markUsed(substituted.used);
    const parsed = cache.parse(entry.condition, substituted.text);
    if (!parsed.ok) {
      diagnostics.push(
        error(
          'LOAD_ERR_COMPILE_CONDITION',
          'macro',
          entry.name,
          parsed.error.message,
          exactOffsetLoc(entry.conditionSegments, entry.condition, substituted.text, parsed.error.offset) ??
            locateOffset(entry.conditionSegments, parsed.error.offset, entry.loc, substituted.text !== entry.condition),
        ),
      );
      return { compiled, table, keys, failed: true };
    }
    const unsupported = ctx.language(parsed.expr, substituted.text);
    if (unsupported) {
      const at = exactOffsetLoc(entry.conditionSegments, entry.condition, substituted.text, unsupported.span.start);
      diagnostics.push(error('LOAD_ERR_COMPILE_CONDITION', 'macro', entry.name, unsupported.message, at ?? entry.conditionSegments[0]?.loc ?? entry.loc));
      return { compiled, table, keys, failed: true };
    }
    const macro: CompiledMacro = { name: entry.name, condition: entry.condition, used: false, ast: parsed.expr, entry };
    compiled.push(macro);
    parsedTexts.push(substituted.text);
    table.set(entry.name, macro);
  }
  const keyOf = (target: CompiledMacro) => keys.get(target);
  // the macro being resolved sees those first defined before its latest change
  let visibility = 0;
  const isVisible = (target: CompiledMacro) => target.entry.index < visibility;
  for (let at = 0; at < compiled.length; at++) {
    const macro = compiled[at];
    visibility = macro.entry.visibility;
    const { result: resolved, key } = cache.resolve(macro.ast as Expr, table, isVisible, keyOf);
    if (!resolved.ok) {
      const visible = compiled.filter((m) => isVisible(m)).map((m) => m.name);
      diagnostics.push(
        withHint(
          error('LOAD_ERR_VALIDATE', 'macro', macro.name, resolved.message, macroRefLoc(macro.entry, parsedTexts[at], resolved.span)),
          macroHint(resolved.message, visible),
        ),
      );
      return { compiled, table, keys, failed: true };
    }
    for (const name of resolved.usedMacros) table.get(name)!.used = true;
    // Later macros that reference this one see it already expanded, as in Falco's in-order compile.
    macro.ast = resolved.expr;
    macro.compiledCondition = ctx.subtrees.printCanonical(resolved.expr);
    keys.set(macro, key);
  }
  return { compiled, table, keys, failed: false };
}

interface RuleContext extends MacroContext {
  catalog: FieldCatalog;
  macros: MacroTable;
  macroKeys: Map<CompiledMacro, number>;
}

/** One rule (§11 steps 2–8). Returns 'error' on a compile error, null when the rule is dropped. */
function compileRule(entry: RuleEntry, ctx: RuleContext): CompiledRule | 'error' | null {
  const { diagnostics, subtrees } = ctx;
  const withExceptions = ctx.cache.exceptionsCondition(entry);
  if ('error' in withExceptions) {
    diagnostics.push(
      withHint(error('LOAD_ERR_VALIDATE', 'exception', withExceptions.at.name, withExceptions.error, withExceptions.at.loc), fieldHint(withExceptions.error, ctx.catalog, entry.source)),
    );
    return 'error';
  }

  let output = entry.output;
  if (output.includes(CONTAINER_INFO)) {
    output = output.split(CONTAINER_INFO).join('');
    diagnostics.push(
      warning('LOAD_DEPRECATED_ITEM', 'rule', entry.name, "The %container.info output field is deprecated and no more useful; it has been removed from the output", entry.loc),
    );
  }
  const { error: outputError, deprecated: deprecatedInOutput } = ctx.cache.outputCheck(output, entry.source, ctx.catalog);
  if (outputError) {
    if (entry['skip-if-unknown-filter'] && SKIPPABLE_ERROR.test(outputError.message)) {
      diagnostics.push(warning('LOAD_UNKNOWN_FILTER', 'rule', entry.name, outputError.message, entry.loc));
      return null;
    }
    diagnostics.push(withHint(error('LOAD_ERR_COMPILE_OUTPUT', 'rule', entry.name, outputError.message, entry.loc), fieldHint(outputError.message, ctx.catalog, entry.source)));
    return 'error';
  }
  for (const field of deprecatedInOutput) {
    diagnostics.push(
      warning('LOAD_DEPRECATED_ITEM', 'rule', entry.name, `usage of deprecated field '${field}' has been detected in the rule output`, entry.loc),
    );
  }

  const substituted = ctx.cache.substitute(withExceptions.text, ctx.lists);
  ctx.lists.markUsed(substituted.used);
  const parsed = ctx.cache.parse(withExceptions.text, substituted.text);
  if (!parsed.ok) {
    const at = exactOffsetLoc(entry.conditionSegments, entry.condition, substituted.text, parsed.error.offset);
    diagnostics.push(error('LOAD_ERR_COMPILE_CONDITION', 'rule', entry.name, parsed.error.message, at ?? entry.conditionSegments[0]?.loc ?? entry.loc));
    return 'error';
  }
  const unsupported = ctx.language(parsed.expr, substituted.text);
  if (unsupported) {
    const at = exactOffsetLoc(entry.conditionSegments, entry.condition, substituted.text, unsupported.span.start);
    diagnostics.push(error('LOAD_ERR_COMPILE_CONDITION', 'rule', entry.name, unsupported.message, at ?? entry.conditionSegments[0]?.loc ?? entry.loc));
    return 'error';
  }
  const { result: resolved } = ctx.cache.resolve(parsed.expr, ctx.macros, () => true, (target) => ctx.macroKeys.get(target));
  if (!resolved.ok) {
    diagnostics.push(
      withHint(error('LOAD_ERR_VALIDATE', 'rule', entry.name, resolved.message, macroRefLoc(entry, substituted.text, resolved.span)), macroHint(resolved.message, ctx.macros.keys())),
    );
    return 'error';
  }
  const ast = resolved.expr;
  for (const name of resolved.usedMacros) {
    const macro = ctx.macros.get(name);
    if (macro) macro.used = true;
  }

  const facts = subtrees.facts(ast, entry.source);
  if (facts.unsafeNaCheck) {
    diagnostics.push(warning('LOAD_UNSAFE_NA_CHECK', 'rule', entry.name, '', entry.loc));
  }
  for (const deprecated of subtrees.deprecatedOnce(facts)) {
    diagnostics.push(warning('LOAD_DEPRECATED_ITEM', 'rule', entry.name, deprecated.description, entry.loc));
  }

  const filterError = facts.error;
  if (filterError) {
    if (entry['skip-if-unknown-filter'] && SKIPPABLE_ERROR.test(filterError.message)) {
      diagnostics.push(warning('LOAD_UNKNOWN_FILTER', 'rule', entry.name, filterError.message, entry.loc));
      return null;
    }
    const fails = (leaf: Expr) => subtrees.facts(leaf, entry.source).error !== null;
    const at = ownLeafLoc(entry, substituted.text, parsed.expr, ast, fails, filterError.span.start);
    const ruleLoc = at ?? entry.conditionSegments[0]?.loc ?? entry.loc;
    const d = withHint(error('LOAD_ERR_COMPILE_CONDITION', 'rule', entry.name, filterError.message, ruleLoc), fieldHint(filterError.message, ctx.catalog, entry.source));
    const leaf = at === undefined ? firstFailingLeaf(ast, fails) : undefined;
    const origin = leaf && macroOrigin(leaf, resolved.usedMacros, ctx.macros, (m) => ctx.cache.substitute(m.entry.condition, ctx.lists).text);
    if (origin) {
      // the fix is in the macro: report it there, and say where Falco met it
      d.location = origin.at;
      d.related = [
        { message: `macro '${origin.macro.name}', used by rule '${entry.name}', is defined here`, location: origin.definedAt },
        { message: `Falco reports it compiling rule '${entry.name}'`, location: ruleLoc },
      ];
    }
    diagnostics.push(d);
    return 'error';
  }
  for (const hint of facts.hints) {
    diagnostics.push(warning('LOAD_COMPILE_CONDITION', 'rule', entry.name, hint.message, entry.conditionSegments[0]?.loc ?? entry.loc));
  }

  let eventTypes: string[] | null = null;
  if (entry.source === 'syscall') {
    const types = subtrees.eventTypes(ast);
    if (entry.warn_evttypes && types.tooMany) {
      diagnostics.push(
        warning('LOAD_NO_EVTTYPE', 'rule', entry.name, 'Rule matches too many evt.type values. This has a significant performance penalty.', entry.loc),
      );
    }
    eventTypes = types.names === null ? null : types.names.slice();
  }

  return {
    name: entry.name,
    source: entry.source,
    enabled: entry.enabled,
    priority: entry.priority,
    description: entry.desc,
    output: entry.output,
    tags: entry.tags,
    condition: entry.condition,
    compiledCondition: subtrees.printCanonical(ast),
    ast,
    eventTypes,
    exceptions: entry.exceptions,
    capture: entry.capture,
    captureDuration: entry.capture_duration,
    warnEvttypes: entry.warn_evttypes,
    skipIfUnknownFilter: entry['skip-if-unknown-filter'],
    entry,
  };
}

/** A macro reference that failed to resolve: its token when exact, else the scalar it falls in. */
function macroRefLoc(entry: MacroEntry | RuleEntry, parsedText: string, span: Span | undefined): Loc {
  if (!span) return entry.conditionSegments[0]?.loc ?? entry.loc;
  return exactOffsetLoc(entry.conditionSegments, entry.condition, parsedText, span.start) ?? locateOffset(entry.conditionSegments, span.start, entry.loc, false);
}

/** A filter error's token when the failing leaf is the rule's own (not from an expanded macro) and exact. */
function ownLeafLoc(entry: RuleEntry, parsedText: string, parsed: Expr, expanded: Expr, fails: (leaf: Expr) => boolean, offset: number): Loc | undefined {
  if (parsedText !== entry.condition) return undefined;
  const leaf = firstFailingLeaf(expanded, fails);
  if (!leaf || !nodesOf(parsed).has(leaf)) return undefined;
  return exactOffsetLoc(entry.conditionSegments, entry.condition, parsedText, offset);
}

function error(code: Diagnostic['code'], itemType: string, itemName: string, message: string, location: Loc): Diagnostic {
  return { code, severity: 'error', itemType, itemName, message, location };
}

/** The source of the rule that has an exception of this name (rules are Falco's syscall source unless they say otherwise). */
function sourceOfException(merged: MergedRuleset, name: string): string {
  return [...merged.rules.values()].find((r) => r.exceptions.some((e) => e.name === name))?.source ?? 'syscall';
}

function withHint(d: Diagnostic, hint: string | undefined): Diagnostic {
  return hint === undefined ? d : { ...d, hint };
}

function warning(code: Diagnostic['code'], itemType: string, itemName: string, message: string, location: Loc): Diagnostic {
  return { code, severity: 'warning', itemType, itemName, message, location };
}

