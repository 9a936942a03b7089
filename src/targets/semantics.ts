/**
 * What a target changes in loading rules, from the per-version tables generated out of the Falco
 * and libs sources (scripts/generate-falco-versions.mjs): the engine version, the sources and
 * fields, the operators and transformers, and the event-type analysis.
 */
import {
  createCatalog,
  parseCondition,
  restrictCatalog,
  sourcePlugin,
  validateFilter,
  type Expr,
  type FieldCatalog,
  type RightOperand,
  type Span,
  type TransformerArg,
} from '../condition/index.js';
import {
  FIELD_RANGES,
  OPERATOR_LISTS,
  OPERATOR_LIST_OF,
  OPERATOR_RANGES,
  TRANSFORMER_LISTS,
  TRANSFORMER_LIST_OF,
  TRANSFORMER_RANGES,
} from './generated/falco-versions.js';
import { PLUGIN_FIELD_RANGES, PLUGIN_VERSIONS, RETIRED_PLUGIN_FIELDS } from './generated/plugin-fields.js';
import { MAIN, atLeast, compareSemver, engineVersionOf, targetKey, versionIndex, type FalcoTarget, type PluginSpec } from './target.js';

export interface TargetSemantics {
  target: FalcoTarget;
  engineVersion: string;
  catalog: FieldCatalog;
  /** [HEAD] evt.num >= 1 invariants in event-type analysis. */
  evtNumInvariants: boolean;
  /** Releases up to 0.44.1 warn LOAD_NO_EVTTYPE on an empty event set too. */
  emptySetWarns: boolean;
  /**
   * The first operator or transformer of the condition this version's parser lacks, with the error
   * that parser prints; `text` is the condition the spans point into.
   */
  languageError(expr: Expr, text: string): { message: string; span: Span } | null;
  /** Falco's is_valid_lhs_field for an exception field: true when the source is not loaded (nothing to check against). */
  isKnownField: (source: string, field: string) => boolean;
}

/** Libs 0.21 (Falco 0.41) moved the container fields out of libs into the container plugin. */
const CONTAINER_FIELDS_BUILT_IN_UNTIL = '0.41.0';

function inRange(range: readonly number[] | undefined, index: number): boolean {
  if (range === undefined) return true;
  if (range.length === 2 && range[0] <= range[1]) return index >= range[0] && index <= range[1];
  return range.includes(index);
}

/**
 * Which fields of a loaded plugin its version has (scripts/generate-plugin-fields.mjs): a version
 * between releases has the fields of the release before it; no version means the newest release; a
 * plugin without per-release tables has every field of the catalog.
 */
function pluginFieldFilter(plugins: readonly PluginSpec[]): (plugin: string, field: string) => boolean {
  const releaseIndex = new Map<string, number>();
  for (const p of plugins) {
    const releases = PLUGIN_VERSIONS[p.name];
    if (!releases) continue;
    const version = p.version;
    const before = version ? releases.filter((r) => compareSemver(r, version) <= 0).length - 1 : releases.length - 1;
    releaseIndex.set(p.name, Math.max(before, 0));
  }
  return (plugin, field) => {
    const index = releaseIndex.get(plugin);
    return index === undefined || inRange(PLUGIN_FIELD_RANGES[plugin]?.[field], index);
  };
}

const NUMERIC_OPERATORS: ReadonlySet<string> = new Set(['<=', '<', '>=', '>']);

type Found = { message: string; span: Span } | null;
type Node = Expr | RightOperand | TransformerArg;

/**
 * What the libs parser of version `index` (userspace/libsinsp/filter/parser.cpp) prints at the first
 * operator or transformer it lacks. An unknown transformer or modifier is read as a bare identifier
 * or string, so the parser stops at the '(' after it: "unexpected token after 'NAME', expecting
 * 'or', 'and'" at the top level, "expected a ')' token" inside parentheses; nested in a transformer,
 * or as a numeric value, it asks for one of the transformers it knows; an unknown operator lists
 * the operators it knows.
 */
function firstLanguageError(expr: Expr, text: string, index: number): Found {
  const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');
  const transformers = quoted(TRANSFORMER_LISTS[TRANSFORMER_LIST_OF[index]] ?? []);
  const stopsAfter = (token: string, span: Span): Found => ({
    message: parenDepth(text, span.start) > 0 ? "expected a ')' token" : `unexpected token after '${token}', expecting 'or', 'and'`,
    span,
  });
  const visit = (node: Node, parent: 'transformer' | 'numeric-value' | null): Found => {
    switch (node.kind) {
      case 'and':
      case 'or':
        return first(node.operands, (e) => visit(e, null));
      case 'not':
        return visit(node.operand, null);
      case 'unary-check':
        return visit(node.left, null);
      case 'binary-check': {
        const left = visit(node.left, null);
        if (left) return left;
        if (!inRange(OPERATOR_RANGES[node.op], index))
          return { message: `expected a valid check operator: one of ${quoted(OPERATOR_LISTS[OPERATOR_LIST_OF[index]] ?? [])}`, span: node.span };
        if (node.modifier !== undefined && !inRange(OPERATOR_RANGES[node.modifier], index)) return stopsAfter(node.modifier, node.span);
        return visit(node.right, NUMERIC_OPERATORS.has(node.op) ? 'numeric-value' : null);
      }
      case 'transformer':
        if (!inRange(TRANSFORMER_RANGES[node.name], index)) {
          if (parent === 'transformer') return { message: `expected a field or a nested valid transformer: ${transformers}`, span: node.span };
          if (parent === 'numeric-value') {
            // libs 0.14 (no transformers yet) asks for a number only
            const message = transformers === '' ? 'expected a number value' : `expected a number value or a field with a valid transformer: ${transformers}`;
            return { message, span: node.span };
          }
          return stopsAfter(node.name, node.span);
        }
        return first(node.args, (a) => visit(a, 'transformer'));
      case 'transformer-list':
        return first(node.items, (a) => visit(a, 'transformer'));
      default:
        return null;
    }
  };
  return visit(expr, null);
}

function first<T>(items: readonly T[], check: (item: T) => Found): Found {
  for (const item of items) {
    const found = check(item);
    if (found) return found;
  }
  return null;
}

/** Parentheses open at `offset` in a condition, quoted strings skipped. */
function parenDepth(text: string, offset: number): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  return depth;
}

const memo = new Map<string, TargetSemantics>();

export function semanticsOf(target: FalcoTarget): TargetSemantics {
  const key = targetKey(target);
  let found = memo.get(key);
  if (!found) memo.set(key, (found = build(target)));
  return found;
}

function build(target: FalcoTarget): TargetSemantics {
  const index = versionIndex(target.falcoVersion);
  const names = target.plugins.map((p) => p.name);
  // Before 0.41 the container fields were libs' own: the container plugin's table stands in for them.
  const builtInContainer = !atLeast(target.falcoVersion, CONTAINER_FIELDS_BUILT_IN_UNTIL);
  const full = createCatalog({
    plugins: builtInContainer ? [...names, 'container'] : names,
    retiredFields: RETIRED_PLUGIN_FIELDS,
  });
  const loaded = new Set(names);
  const pluginHas = pluginFieldFilter(target.plugins);
  const catalog = restrictCatalog(
    full,
    (source) => {
      const plugin = sourcePlugin(full, source);
      return plugin === undefined ? source === 'syscall' : loaded.has(plugin);
    },
    (field) => (field.origin.startsWith('plugin:') ? pluginHas(field.origin.slice('plugin:'.length), field.name) : inRange(FIELD_RANGES[field.name], index)),
  );
  const known = new Map<string, boolean>();
  // parsed conditions are shared by every environment's compile (the compile cache): check each once per target
  const checked = new WeakMap<Expr, { message: string; span: Span } | null>();
  const semantics: TargetSemantics = {
    target,
    engineVersion: engineVersionOf(target.falcoVersion),
    catalog,
    evtNumInvariants: target.falcoVersion === MAIN,
    emptySetWarns: target.falcoVersion !== MAIN,
    languageError(expr, text) {
      let found = checked.get(expr);
      if (found === undefined) checked.set(expr, (found = firstLanguageError(expr, text, index)));
      return found;
    },
    isKnownField: (source, field) => {
      if (!catalog.sources.has(source)) return true;
      const key = `${source}\u0000${field}`;
      let answer = known.get(key);
      if (answer === undefined) known.set(key, (answer = compilesAsLhs(semantics, source, field)));
      return answer;
    },
  };
  return semantics;
}

/**
 * Falco compiles `FIELD exists` for a field with a transformer and looks a plain name up exactly;
 * compiling the check answers both, since a plain name compiles only when the lookup consumes it all.
 */
function compilesAsLhs(semantics: TargetSemantics, source: string, field: string): boolean {
  const parsed = parseCondition(`${field} exists`);
  if (!parsed.ok || parsed.expr.kind !== 'unary-check') return false;
  return semantics.languageError(parsed.expr, `${field} exists`) === null && validateFilter(parsed.expr, source, semantics.catalog) === null;
}
