/**
 * The effective upstream items by name, merged by the project's one collector: appends, overrides,
 * exceptions merged by name and redefinitions exactly as Falco merges them (no compile needed).
 */
import type { Loc } from '../../diagnostics/index.js';
import { mergeRulesFiles, type MergeCache, type ListEntry, type MacroEntry, type MergedRuleset, type RuleEntry, type RulesFile } from '../../rules/index.js';

export type UpstreamRuleset = Pick<MergedRuleset, 'lists' | 'macros' | 'rules'>;
export type UpstreamRule = RuleEntry;

export function mergeUpstream(files: readonly RulesFile[], mergeCache?: MergeCache): UpstreamRuleset {
  const { lists, macros, rules } = mergeRulesFiles([...files], mergeCache === undefined ? {} : { mergeCache });
  return { lists, macros, rules };
}

/** Where the effective definition is: the last (re)definition, which replaced any before it (§2.1). */
export function definitionLoc(entry: ListEntry | MacroEntry | RuleEntry): Loc {
  return entry.history.findLast((change) => change.field === '*')?.loc ?? entry.loc;
}
