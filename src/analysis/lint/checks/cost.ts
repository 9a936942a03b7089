import { defineCheck } from '../define-check.js';
import { ruleCost } from '../cost-model.js';
import { conditionLoc } from '../locations.js';

export const cost = defineCheck({
  id: 'cost',
  severity: 'error',
  summary: "No rule exceeds the environment's cost budget",
  rationale:
    'Every enabled rule is evaluated on every event of its types, on every node. The estimate counts the comparisons a rule makes per matching event, weighted by operator (regex and glob cost more than equality) and discounted by short-circuit order (docs/checks/cost.md). With a budget in the lint policy, a rule above it fails the build before it costs CPU everywhere; the costliest rules are always listed.',
  hint: 'put cheap, selective tests first, replace regex and glob with startswith or in, or split the rule',
  messages: {
    budget: 'rule "{rule}" costs {cost} per event, over the budget of {budget}',
  },
  visit: {
    rule(rule, ctx) {
      const budget = ctx.policy.costBudget;
      if (budget === undefined || !rule.enabled) return;
      const c = ruleCost(rule);
      if (c.expected <= budget) return;
      ctx.report({ itemType: 'rule', itemName: rule.name }, 'budget', { rule: rule.name, cost: c.expected, budget }, conditionLoc(rule.entry));
    },
  },
});
