import { defineCheck } from '../define-check.js';

export const duplicateListItem = defineCheck({
  id: 'duplicate-list-item',
  severity: 'note',
  summary: 'A list holds each item once',
  rationale:
    'Falco keeps duplicates when lists are defined or appended, so a repeated item costs a comparison and, more often, shows that an overlay appends what upstream already added (and will keep appending after upstream removes it).',
  hint: 'remove the repeated item',
  messages: {
    duplicate: 'list "{name}" already contains "{item}"',
  },
  visit: {
    ruleset(_compiled, ctx) {
      const items = new Map<string, Set<string>>();
      for (const file of ctx.environment.files) {
        for (const list of file.items) {
          if (list.kind !== 'list') continue;
          const appends = list.append || list.override?.items === 'append';
          const seen = appends ? (items.get(list.name) ?? new Set<string>()) : new Set<string>();
          items.set(list.name, seen);
          list.items.forEach((item, i) => {
            if (seen.has(item)) {
              ctx.report({ itemType: 'list', itemName: list.name }, 'duplicate', { name: list.name, item }, list.itemLocs[i] ?? list.loc);
            }
            seen.add(item);
          });
        }
      }
    },
  },
});
