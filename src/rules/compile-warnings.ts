/** The warnings a compile gives once its rules are compiled, and for rules it skips. */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { CompiledRuleset, MergedRuleset } from './model.js';
import { warning } from './compile-item.js';
import type { TargetSemantics } from '../targets/semantics.js';
import { pluginRequirementDiagnostic } from '../targets/plugin-requirements.js';

const NO_LOC: Loc = { file: '', line: 1, column: 1 };

export function unknownSource(source: string, name: string, loc: Loc): Diagnostic {
  return warning('LOAD_UNKNOWN_SOURCE', 'rule', name, `Unknown source ${source}, skipping`, loc);
}

/** Macros, then lists, not referred to: warned in definition order once every rule is compiled. */
export function unusedWarnings(result: CompiledRuleset): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const macro of result.macros) {
    if (!macro.used) out.push(warning('LOAD_UNUSED_MACRO', 'macro', macro.name, 'Macro not referred to by any other rule/macro', macro.entry.loc));
  }
  for (const list of result.lists) {
    if (!list.used) out.push(warning('LOAD_UNUSED_LIST', 'list', list.name, 'List not referred to by any other rule/macro', list.entry.loc));
  }
  return out;
}

/** Falco checks plugin requirements once every file is loaded; an unmet one stops it. */
export function pluginRequirements(merged: MergedRuleset, target: TargetSemantics): Diagnostic[] {
  const unmet = pluginRequirementDiagnostic(merged.requiredPluginVersions, merged.requiredPluginVersionLocs ?? [], target.target, merged.requiredPluginVersionLocs?.[0] ?? NO_LOC);
  return unmet ? [unmet] : [];
}
