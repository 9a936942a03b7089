/** Ways out of a condition that does not compile: the field or macro meant, and the macro a failing check comes from. */
import type { Expr } from '../condition/ast.js';
import type { FieldCatalog } from '../condition/catalog/field-catalog.js';
import { didYouMean, type Loc } from '../diagnostics/index.js';
import { exactOffsetLoc, locateOffset, nodesOf } from './condition-locations.js';
import type { CompiledMacro } from './model.js';
import type { MacroTable } from './resolve-macros.js';

const NONEXISTENT_FIELD = /(?:nonexistent field|invalid formatting token) %?([^\s[]+)|^'([^'[]+)(?:\[[^']*\])?' is not a supported filter field/;
const UNDEFINED_MACRO = /^Undefined macro '(.+)' used in filter\.$/;

const fieldNames = new WeakMap<FieldCatalog, Map<string, string[]>>();

/** For Falco's "nonexistent field X" (an output's "invalid formatting token X", an exception's "'X' is not a supported filter field"): the catalog field of the same source X most likely meant. */
export function fieldHint(message: string, catalog: FieldCatalog, source: string): string | undefined {
  const match = NONEXISTENT_FIELD.exec(message);
  const field = match?.[1] ?? match?.[2];
  if (field === undefined) return undefined;
  let bySource = fieldNames.get(catalog);
  if (bySource === undefined) fieldNames.set(catalog, (bySource = new Map<string, string[]>()));
  let names = bySource.get(source);
  if (names === undefined) bySource.set(source, (names = (catalog.sources.get(source) ?? []).flatMap((c) => c.fields.map((f) => f.name))));
  return didYouMean(field, names);
}

/** For Falco's "Undefined macro 'X' used in filter.": the visible macro most likely meant. */
export function macroHint(message: string, macros: Iterable<string>): string | undefined {
  const name = UNDEFINED_MACRO.exec(message)?.[1];
  return name === undefined ? undefined : didYouMean(name, macros);
}

export interface MacroOrigin {
  macro: CompiledMacro;
  /** The failing check in the macro's own condition, or its definition when not exact. */
  at: Loc;
  /** Where the macro's condition was last defined or replaced (an overlay's override, say). */
  definedAt: Loc;
}

/**
 * The innermost used macro whose tree holds `leaf` (expanded trees share their macros' nodes), and
 * where in that macro's text the leaf is; undefined when the leaf is the rule's own.
 */
export function macroOrigin(leaf: Expr, used: Iterable<string>, table: MacroTable, parsedText: (macro: CompiledMacro) => string): MacroOrigin | undefined {
  let best: { macro: CompiledMacro; size: number } | undefined;
  for (const name of used) {
    const macro = table.get(name);
    if (macro?.ast === undefined) continue;
    const nodes = nodesOf(macro.ast);
    if (nodes.has(leaf) && (best === undefined || nodes.size < best.size)) best = { macro, size: nodes.size };
  }
  if (best === undefined) return undefined;
  const { entry } = best.macro;
  const definedAt = [...entry.history].reverse().find((c) => c.field === 'condition' || c.field === '*')?.loc ?? entry.loc;
  const text = parsedText(best.macro);
  const at =
    exactOffsetLoc(entry.conditionSegments, entry.condition, text, leaf.span.start) ??
    locateOffset(entry.conditionSegments, leaf.span.start, definedAt, text !== entry.condition);
  return { macro: best.macro, at, definedAt };
}
