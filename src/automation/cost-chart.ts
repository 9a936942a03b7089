/** The cost of the rules a pull request changes, before and after, as one Mermaid chart for the comment. */
import type { DiffEnvironmentsResult } from '../analysis/diff/index.js';
import { ruleCost } from '../analysis/lint/index.js';
import type { ReportChart } from '../report/index.js';
import type { CompiledRuleset } from '../rules/index.js';

export interface ChangedRuleCost {
  environment: string;
  rule: string;
  /** Expected comparisons per event; null where the side has no such enabled rule. */
  base: number | null;
  head: number | null;
}

/** Changes that move what a rule costs per event. */
const COST_CHANGES = new Set(['rule-added', 'rule-removed', 'rule-enabled', 'rule-disabled', 'rule-condition-changed']);
/** More bars than this do not read: the costliest changed rules are kept. */
const MAX_BARS = 12;
const MAX_LABEL = 28;

/** Per environment, the changed rules' expected cost at the base and at the head (`rulesets`: compiled, by environment). */
export function changedRuleCosts(
  diff: DiffEnvironmentsResult,
  base: ReadonlyMap<string, CompiledRuleset>,
  head: ReadonlyMap<string, CompiledRuleset>,
): ChangedRuleCost[] {
  const costOf = (ruleset: CompiledRuleset | undefined, name: string) => {
    const rule = ruleset?.rules.find((r) => r.name === name && r.enabled);
    return rule === undefined ? null : ruleCost(rule).expected;
  };
  return diff.environments.flatMap((e) => {
    const rules = [...new Set(e.diff.changes.flatMap((c) => (COST_CHANGES.has(c.kind) && 'rule' in c ? [c.rule] : [])))];
    return rules.map((rule) => ({
      environment: e.environment,
      rule,
      base: costOf(base.get(e.environment), rule),
      head: costOf(head.get(e.environment), rule),
    }));
  });
}

/**
 * A bar per changed rule at the head and a line at the base (xychart has no legend, so the title
 * says which is which); null when no changed rule costs anything on either side.
 */
export function costChart(costs: readonly ChangedRuleCost[], afterTable: string): ReportChart | null {
  const shown = costs
    .filter((c) => (c.base ?? 0) + (c.head ?? 0) > 0)
    .sort((a, b) => Math.max(b.base ?? 0, b.head ?? 0) - Math.max(a.base ?? 0, a.head ?? 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0))
    .slice(0, MAX_BARS);
  if (shown.length === 0) return null;
  const environments = new Set(shown.map((c) => c.environment));
  const label = (c: ChangedRuleCost) => quote(shorten(environments.size > 1 ? `${c.rule} (${c.environment})` : c.rule));
  const top = Math.max(...shown.map((c) => Math.max(c.base ?? 0, c.head ?? 0)));
  const mermaid = [
    'xychart-beta',
    '  title "Changed rules: expected comparisons per event (bars: this change, line: base)"',
    `  x-axis [${shown.map(label).join(', ')}]`,
    `  y-axis "comparisons per event" 0 --> ${Math.ceil(top * 1.1 * 10) / 10}`,
    `  bar [${shown.map((c) => c.head ?? 0).join(', ')}]`,
    `  line [${shown.map((c) => c.base ?? 0).join(', ')}]`,
  ].join('\n');
  return { title: 'Cost of the changed rules', mermaid, afterTable };
}

function shorten(text: string): string {
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;
}

/** Mermaid's strings end at a double quote and read `#…;` as an entity: both become something safe. */
function quote(text: string): string {
  return `"${text.replace(/"/g, "'").replace(/#/g, 'no. ')}"`;
}
