/**
 * What a target changes in loading rules, from the per-version tables generated out of the Falco
 * and libs sources (scripts/generate-falco-versions.mjs): the engine version, the sources and
 * fields, the operators and transformers, and the event-type analysis.
 */
import {
  createCatalog,
  forEachNode,
  parseCondition,
  restrictCatalog,
  sourcePlugin,
  validateFilter,
  type Expr,
  type FieldCatalog,
  type Span,
} from '../condition/index.js';
import { FIELD_RANGES, OPERATOR_RANGES, TRANSFORMER_RANGES } from './generated/falco-versions.js';
import { PLUGIN_FIELD_RANGES, PLUGIN_VERSIONS } from './generated/plugin-fields.js';
import { MAIN, atLeast, compareSemver, engineVersionOf, libsVersionOf, targetKey, versionIndex, type FalcoTarget, type PluginSpec } from './target.js';

export interface TargetSemantics {
  target: FalcoTarget;
  engineVersion: string;
  catalog: FieldCatalog;
  /** [HEAD] evt.num >= 1 invariants in event-type analysis. */
  evtNumInvariants: boolean;
  /** Releases up to 0.44.1 warn LOAD_NO_EVTTYPE on an empty event set too. */
  emptySetWarns: boolean;
  /** The first operator or transformer of the condition this version's parser lacks. */
  languageError(expr: Expr): { message: string; span: Span } | null;
  /** Falco's is_valid_lhs_field for an exception field: true when the source is not loaded (nothing to check against). */
  isKnownField(source: string, field: string): boolean;
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
 * between releases has the fields of the release before it; no version, or a plugin without
 * per-release tables, has every field of the catalog (the newest release).
 */
function pluginFieldFilter(plugins: readonly PluginSpec[]): (plugin: string, field: string) => boolean {
  const releaseIndex = new Map<string, number>();
  for (const p of plugins) {
    const releases = PLUGIN_VERSIONS[p.name];
    if (!p.version || !releases) continue;
    const version = p.version;
    const before = releases.filter((r) => compareSemver(r, version) <= 0).length - 1;
    releaseIndex.set(p.name, Math.max(before, 0));
  }
  return (plugin, field) => {
    const index = releaseIndex.get(plugin);
    return index === undefined || inRange(PLUGIN_FIELD_RANGES[plugin]?.[field], index);
  };
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
  const where = `Falco ${target.falcoVersion} (libs ${libsVersionOf(target.falcoVersion)})`;
  const known = new Map<string, boolean>();
  const semantics: TargetSemantics = {
    target,
    engineVersion: engineVersionOf(target.falcoVersion),
    catalog,
    evtNumInvariants: target.falcoVersion === MAIN,
    emptySetWarns: target.falcoVersion !== MAIN,
    languageError(expr) {
      let found: { message: string; span: Span } | null = null;
      forEachNode(expr, (node) => {
        if (found) return;
        if (node.kind === 'binary-check') {
          for (const op of [node.op, node.modifier]) {
            if (op !== undefined && !inRange(OPERATOR_RANGES[op], index))
              found = {
                message: `operator '${op}' is not supported by ${where}`,
                span: node.span,
              };
          }
        } else if (node.kind === 'transformer' && !inRange(TRANSFORMER_RANGES[node.name], index)) {
          found = {
            message: `field transformer '${node.name}' is not supported by ${where}`,
            span: node.span,
          };
        }
      });
      return found;
    },
    isKnownField(source, field) {
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
  return semantics.languageError(parsed.expr) === null && validateFilter(parsed.expr, source, semantics.catalog) === null;
}
