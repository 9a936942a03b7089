import { defineCheck } from '../define-check.js';

export const unusedList = defineCheck({
  id: 'unused-list',
  severity: 'warning',
  summary: 'Every list is used by a condition or another list',
  rationale:
    'A list nothing refers to has no effect, and items added to it in an overlay silently tune nothing: usually a misspelt name or a list an upstream upgrade stopped using. Falco warns about it (LOAD_UNUSED_LIST). Upstream lists are not reported in environments.',
  hint: 'delete the list, or correct the name used in the condition',
  messages: {
    unused: 'list "{name}" is not used by any rule, macro or list',
  },
  visit: {
    list(list, ctx) {
      if (list.used || ctx.isUpstream(list.entry.loc.file)) return;
      ctx.report({ itemType: 'list', itemName: list.name }, 'unused', { name: list.name }, list.entry.loc);
    },
  },
});
