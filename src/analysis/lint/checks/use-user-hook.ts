import type { RuleItem } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';
import { hookNames } from '../hooks.js';
import { valueLoc } from '../locations.js';

/** Macros a condition excludes with `not name` (hooks are negated by design). */
const NEGATED_MACRO = /\bnot\s+\(?\s*([A-Za-z][A-Za-z0-9_]*)(?=$|[\s)])/g;

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
    'Many upstream rules end with `and not user_known_…` (or another hook: a `user_*` macro, or one upstream defines as a `(never_true)` placeholder, such as allowed_ssh_hosts) precisely so that deployments can exclude their own activity. Appending `and not …` to the rule itself instead makes the override depend on the exact text of the rule, breaks when upstream restructures it, and risks the precedence trap of text appends.',
  hint: 'override the hook macro instead, e.g. - macro: user_known_x, condition: (proc.name = mytool), override: {condition: replace}',
  messages: {
    hook: 'appended "and not …" on rule "{rule}", which offers the hook macro {macro} for this',
  },
  visit: {
    ruleset(compiled, ctx) {
      const hooks = hookNames(ctx.environment.files);
      for (const file of ctx.environment.files) {
        for (const item of file.items) {
          if (item.kind !== 'rule' || !appendsExclusion(item)) continue;
          const entry = compiled.merged.rules.get(item.name);
          if (!entry) continue;
          const hook = [...entry.condition.matchAll(NEGATED_MACRO)]
            .map((m) => m[1])
            .find((name) => hooks.has(`macro\u0000${name}`) && ctx.macro(name) !== undefined);
          if (!hook) continue;
          ctx.report({ itemType: 'rule', itemName: item.name }, 'hook', { rule: item.name, macro: hook }, valueLoc(item, 'condition'));
        }
      }
    },
  },
});
