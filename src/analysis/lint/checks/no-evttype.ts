import { defineCheck } from '../define-check.js';
import { conditionLoc } from '../locations.js';

export const noEvttype = defineCheck({
  id: 'no-evttype',
  severity: 'warning',
  summary: 'Syscall rules restrict the event types they run on',
  rationale:
    'Falco indexes syscall rules by event type and evaluates a rule only on the types its condition allows. A rule whose condition does not restrict evt.type (or allows more than 100 event codes) runs on every event the driver delivers, which costs CPU on every node and is why Falco itself warns (LOAD_NO_EVTTYPE).',
  hint: 'start the condition with a positive test such as evt.type in (open, openat) or a macro like spawned_process',
  messages: {
    all: 'rule "{rule}" does not restrict evt.type: it is evaluated on every event',
    many: 'rule "{rule}" matches too many event types: it is evaluated on most events',
  },
  visit: {
    rule(rule, ctx) {
      if (rule.source !== 'syscall' || !rule.warnEvttypes) return;
      const item = { itemType: 'rule', itemName: rule.name } as const;
      if (rule.eventTypes === null) ctx.report(item, 'all', { rule: rule.name }, conditionLoc(rule.entry));
      else if (ctx.environment.compiled.diagnostics.some((d) => d.code === 'LOAD_NO_EVTTYPE' && d.itemName === rule.name)) {
        ctx.report(item, 'many', { rule: rule.name }, conditionLoc(rule.entry));
      }
    },
  },
});
