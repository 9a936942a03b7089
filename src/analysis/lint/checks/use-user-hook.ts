import type { RuleItem } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';
import { valueLoc } from '../locations.js';

/** Macros upstream rules leave for users to tune (`user_known_*`, `user_*`). */
const HOOK = /(?:^|[\s(])(user_[A-Za-z0-9_]*)(?=$|[\s)])/g;

/** Whether a rule item appends a negated clause to the condition: `and not …`. */
export function appendsExclusion(item: RuleItem): boolean {
  const appends = item.shape === 'append' || item.override?.condition === 'append';
  return appends && typeof item.fields.condition === 'string' && /^\s*and\s+not[\s(]/.test(item.fields.condition);
}

export const useUserHook = defineCheck({
  id: 'use-user-hook',
  severity: 'warning',
  summary: 'Exclusions go into the hook macro a rule offers',
  rationale:
    'Many upstream rules end with `and not user_known_…` (or another `user_*` macro) precisely so that deployments can exclude their own activity. Appending `and not …` to the rule itself instead makes the override depend on the exact text of the rule, breaks when upstream restructures it, and risks the precedence trap of text appends.',
  hint: 'override the hook macro instead, e.g. - macro: user_known_x, condition: (proc.name = mytool), override: {condition: replace}',
  messages: {
    hook: 'appended "and not …" on rule "{rule}", which offers the hook macro {macro} for this',
  },
  visit: {
    ruleset(compiled, ctx) {
      for (const file of ctx.environment.files) {
        for (const item of file.items) {
          if (item.kind !== 'rule' || !appendsExclusion(item)) continue;
          const entry = compiled.merged.rules.get(item.name);
          if (!entry) continue;
          const hook = [...entry.condition.matchAll(HOOK)].map((m) => m[1]!).find((name) => ctx.macro(name) !== undefined);
          if (!hook) continue;
          ctx.report({ itemType: 'rule', itemName: item.name }, 'hook', { rule: item.name, macro: hook }, valueLoc(item, 'condition'));
        }
      }
    },
  },
});
