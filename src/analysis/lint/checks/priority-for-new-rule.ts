import { PRIORITIES } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';

const ERROR_RANK = PRIORITIES.indexOf('Error');

export const priorityForNewRule = defineCheck({
  id: 'priority-for-new-rule',
  severity: 'warning',
  summary: 'New rules start at a low priority',
  rationale:
    'A rule nobody has seen fire in production yet will be noisy in ways its tests did not predict. Starting it at ERROR or above pages people and trains them to ignore the channel; starting at INFO or NOTICE lets the team watch its volume and tune it, then raise the priority in a later change. Needs a base ref to know what is new; off without one.',
  hint: 'start at priority: NOTICE (or INFO) and raise it once the rule is quiet',
  messages: {
    high: 'new rule "{rule}" starts at priority {priority}',
  },
  visit: {
    rule(rule, ctx) {
      if (!ctx.base || ctx.base.merged.rules.has(rule.name) || !rule.enabled) return;
      if (PRIORITIES.indexOf(rule.priority) > ERROR_RANK) return;
      const at = rule.entry.history.find((c) => c.field === 'priority')?.loc ?? rule.entry.loc;
      ctx.report({ itemType: 'rule', itemName: rule.name }, 'high', { rule: rule.name, priority: rule.priority }, at);
    },
  },
});
