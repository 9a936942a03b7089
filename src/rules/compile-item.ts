/**
 * Compiling one macro or rule (docs/falco-rules-semantics.md §11), shared by the full compile and
 * the compile from a base (compile-base.ts). Each step tells its context what it used (lists
 * substituted, macros expanded) instead of marking it, so a caller decides whose flags those are.
 */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { Expr, Span } from '../condition/ast.js';
import type { FieldCatalog } from '../condition/index.js';
import type { CompiledMacro, CompiledRule, MacroEntry, RuleEntry } from './model.js';
import { exactOffsetLoc, firstFailingLeaf, locateOffset, nodesOf } from './condition-locations.js';
import { fieldHint, macroHint, macroOrigin } from './condition-hints.js';
import type { MacroTable } from './resolve-macros.js';
import type { CompileCache, ListTable } from './compile-cache.js';
import type { SharedSubtrees } from './shared-subtrees.js';

export interface MacroContext {
  cache: CompileCache;
  lists: ListTable;
  diagnostics: Diagnostic[];
  subtrees: SharedSubtrees;
  /** The target parser's refusal of an operator or transformer it does not know. */
  language: (expr: Expr, text: string) => { message: string; span: Span } | null;
  /** Told the lists substituted into a condition, right after the substitution (the full compile marks them used). */
  useLists: (names: ReadonlySet<string>) => void;
  /** Told the macros a condition's expansion replaced, right after it (the full compile marks them used). */
  useMacros: (names: ReadonlySet<string>) => void;
}

export interface RuleContext extends MacroContext {
  catalog: FieldCatalog;
  macros: MacroTable;
  keyOf: (target: CompiledMacro) => number | undefined;
}

const NO_NAMES: ReadonlySet<string> = new Set();
const CONTAINER_INFO = '%container.info';
const SKIPPABLE_ERROR = /nonexistent field|invalid formatting token|unknown event type|unknown filter:/;

/** A macro parsed, lists substituted (not yet resolved), with the text it was parsed from and the lists substituted. */
export interface ParsedMacro {
  macro: CompiledMacro;
  parsedText: string;
  usedLists: ReadonlySet<string>;
}

/** A macro's condition, lists substituted and parsed (Falco parses even unused ones); null once its error is reported. */
export function parseMacro(entry: MacroEntry, ctx: MacroContext): ParsedMacro | null {
  const substituted = ctx.cache.substitute(entry.condition, ctx.lists);
  ctx.useLists(substituted.used);
  const parsed = ctx.cache.parse('macro', entry.name, substituted.text);
  if (!parsed.ok) {
    ctx.diagnostics.push(
      error(
        'LOAD_ERR_COMPILE_CONDITION',
        'macro',
        entry.name,
        parsed.error.message,
        exactOffsetLoc(entry.conditionSegments, entry.condition, substituted.text, parsed.error.offset) ??
          locateOffset(entry.conditionSegments, parsed.error.offset, entry.loc, substituted.text !== entry.condition),
      ),
    );
    return null;
  }
  const unsupported = ctx.language(parsed.expr, substituted.text);
  if (unsupported) {
    const at = exactOffsetLoc(entry.conditionSegments, entry.condition, substituted.text, unsupported.span.start);
    ctx.diagnostics.push(error('LOAD_ERR_COMPILE_CONDITION', 'macro', entry.name, unsupported.message, at ?? entry.conditionSegments[0]?.loc ?? entry.loc));
    return null;
  }
  const macro: CompiledMacro = { name: entry.name, condition: entry.condition, used: false, ast: parsed.expr, entry };
  return { macro, parsedText: substituted.text, usedLists: substituted.used };
}

/**
 * Expands the macros a parsed macro names, with visibility (§4): its `ast` becomes the expanded
 * tree. Returns the tree's cache key and the macros expanded, or null once the error is reported.
 */
export function resolveMacro(
  parsed: ParsedMacro,
  table: MacroTable,
  isVisible: (target: CompiledMacro) => boolean,
  keyOf: (target: CompiledMacro) => number | undefined,
  visibleNames: () => string[],
  ctx: MacroContext,
): { key: number; usedMacros: ReadonlySet<string> } | null {
  const { macro } = parsed;
  const { result: resolved, key } = ctx.cache.resolve(macro.ast as Expr, table, isVisible, keyOf);
  if (!resolved.ok) {
    ctx.diagnostics.push(
      withHint(error('LOAD_ERR_VALIDATE', 'macro', macro.name, resolved.message, macroRefLoc(macro.entry, parsed.parsedText, resolved.span)), macroHint(resolved.message, visibleNames())),
    );
    return null;
  }
  ctx.useMacros(resolved.usedMacros);
  // Later macros that reference this one see it already expanded, as in Falco's in-order compile.
  macro.ast = resolved.expr;
  macro.compiledCondition = ctx.subtrees.printCanonical(resolved.expr);
  return { key, usedMacros: resolved.usedMacros };
}

/** A rule's compile: the rule (null when dropped), the condition text it parsed, and the lists and macros it used. */
export interface RuleOutcome {
  rule: CompiledRule | null;
  /** The condition with its exceptions, before list substitution; '' when the rule was dropped before it. */
  conditionText: string;
  usedLists: ReadonlySet<string>;
  usedMacros: ReadonlySet<string>;
}

/** One rule (§11 steps 2–8). Returns 'error' on a compile error. */
export function compileRule(entry: RuleEntry, ctx: RuleContext): RuleOutcome | 'error' {
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
      return { rule: null, conditionText: '', usedLists: NO_NAMES, usedMacros: NO_NAMES };
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
  ctx.useLists(substituted.used);
  const parsed = ctx.cache.parse('rule', entry.name, substituted.text);
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
  const { result: resolved } = ctx.cache.resolve(parsed.expr, ctx.macros, () => true, ctx.keyOf);
  if (!resolved.ok) {
    diagnostics.push(
      withHint(error('LOAD_ERR_VALIDATE', 'rule', entry.name, resolved.message, macroRefLoc(entry, substituted.text, resolved.span)), macroHint(resolved.message, ctx.macros.keys())),
    );
    return 'error';
  }
  const ast = resolved.expr;
  ctx.useMacros(resolved.usedMacros);
  const used = { conditionText: withExceptions.text, usedLists: substituted.used, usedMacros: resolved.usedMacros };

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
      return { rule: null, ...used };
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

  const rule: CompiledRule = {
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
  return { rule, ...used };
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

export function withHint(d: Diagnostic, hint: string | undefined): Diagnostic {
  return hint === undefined ? d : { ...d, hint };
}

export function warning(code: Diagnostic['code'], itemType: string, itemName: string, message: string, location: Loc): Diagnostic {
  return { code, severity: 'warning', itemType, itemName, message, location };
}
