import { parseCondition, printCanonical } from '../../../condition/index.js';
import type { MacroEntry, RuleEntry } from '../../../rules/index.js';
import { defineCheck, type ItemRef, type LintContext } from '../define-check.js';

const messages = {
  and: 'the appended "and …" binds only to the last operand of the top-level "or" of {kind} "{name}": the result is {grouping}',
  or: 'the appended "or …" makes {kind} "{name}" match on its own, outside the earlier "and": the result is {grouping}',
} as const;

export const appendPrecedence = defineCheck({
  id: 'append-precedence',
  severity: 'error',
  summary: 'An appended clause binds to the whole condition it extends',
  rationale:
    'Falco appends a condition as plain text, `old + " " + new`, with no parentheses. Appending `and not x` to a condition whose top level is `a or b` gives `a or (b and not x)`: the exclusion silently does not apply to `a`. Appending `or y` to `a and b` gives `(a and b) or y`, which matches y on every event type. Neither is what an overlay author means.',
  hint: "wrap the original condition in parentheses with override: {condition: replace}, or tune through the rule's user_known_* macro or exceptions",
  messages,
  visit: {
    ruleset(compiled, ctx) {
      for (const entry of compiled.merged.macros.values()) check(entry, { itemType: 'macro', itemName: entry.name }, ctx);
      for (const entry of compiled.merged.rules.values()) check(entry, { itemType: 'rule', itemName: entry.name }, ctx);
    },
  },
});

function check(entry: RuleEntry | MacroEntry, item: ItemRef, ctx: LintContext<typeof messages>): void {
  const segments = entry.conditionSegments;
  for (let i = 1; i < segments.length; i++) {
    const prev = entry.condition.slice(0, segments[i].offset);
    const added = entry.condition.slice(segments[i].offset, segments[i + 1]?.offset).trim();
    const joiner = /^(and|or)[\s(]/.exec(added)?.[1] as 'and' | 'or' | undefined;
    if (!joiner) continue;
    const before = parseCondition(prev);
    if (!before.ok) continue;
    const top = before.expr.kind;
    if ((joiner === 'and' && top !== 'or') || (joiner === 'or' && top !== 'and')) continue;
    const after = parseCondition(`${prev} ${added}`);
    const grouping = after.ok ? printCanonical(after.expr) : `${prev} ${added}`;
    ctx.report(item, joiner, { kind: item.itemType, name: item.itemName, grouping }, segments[i].loc);
  }
}
