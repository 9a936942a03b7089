import { defineCheck } from '../define-check.js';
import { describeLeaf, isEventTypeCheck, isLeaf, leadingLeaves } from '../ast-helpers.js';
import { conditionLoc } from '../locations.js';

export const evttypeNotFirst = defineCheck({
  id: 'evttype-not-first',
  severity: 'note',
  summary: 'The event-type test is the first comparison a rule makes',
  rationale:
    'Falco evaluates a condition left to right and stops at the first comparison that decides it. An evt.type test is the cheapest and the most likely to be false for a given event, so it belongs first (through a macro such as spawned_process is fine); anything written before it is evaluated on every event of every type the rule is indexed on, and before Falco 0.32 this also defeated the event-type index.',
  hint: 'move the evt.type test (or the macro holding it) to the front of the condition',
  messages: {
    late: 'rule "{rule}" tests {first} before its event type',
  },
  visit: {
    rule(rule, ctx) {
      if (rule.source !== 'syscall' || rule.eventTypes === null) return;
      const first = leadingLeaves(rule.ast).find((l) => !isEventTypeCheck(l));
      if (!first || !isLeaf(first)) return;
      ctx.report({ itemType: 'rule', itemName: rule.name }, 'late', { rule: rule.name, first: describeLeaf(first) }, conditionLoc(rule.entry));
    },
  },
});
