import { defineCheck } from '../define-check.js';

export const emptyList = defineCheck({
  id: 'empty-list',
  severity: 'note',
  summary: 'A list used in a condition has items',
  rationale:
    'An empty list expands to `()`: `x in ()` is never true and `x pmatch ()` never matches, so the clause using it is dead until someone fills it. Empty lists are a deliberate hook only when their name says so (user_* or *_allowlist style names are left alone); otherwise it is usually an overlay that replaced the items by mistake.',
  hint: 'add the items, remove the list and the clause using it, or name it user_… if it is a hook for others to fill',
  messages: {
    empty: 'list "{name}" is empty, so every "in" test on it is false',
  },
  visit: {
    list(list, ctx) {
      if (list.items.length > 0 || !list.used || /^(user_|allowed_)|_(allowlist|whitelist|allowed)$/.test(list.name)) return;
      ctx.report({ itemType: 'list', itemName: list.name }, 'empty', { name: list.name }, list.entry.loc);
    },
  },
});
