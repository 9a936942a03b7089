import { defineCheck } from '../define-check.js';

export const unquotedItemWithSpace = defineCheck({
  id: 'unquoted-item-with-space',
  severity: 'warning',
  summary: 'List items with blanks are quoted on purpose',
  rationale:
    'In a flow sequence `[bash sh]` is one item, "bash sh", not two: a missing comma merges neighbours. Falco then quotes the item into the condition as one value, which matches neither. If a blank really belongs in the value, writing the quotes into the item (`\'"java -jar"\'`) says so.',
  hint: 'add the missing comma, or quote the value inside the item: \'"two words"\'',
  messages: {
    space: 'list "{name}" item "{item}" contains a blank: it is one value, not several',
  },
  visit: {
    item(item, _file, ctx) {
      if (item.kind !== 'list') return;
      item.items.forEach((value, i) => {
        if (!/\s/.test(value) || value.startsWith('"') || value.startsWith("'")) return;
        ctx.report({ itemType: 'list', itemName: item.name }, 'space', { name: item.name, item: value }, item.itemLocs[i] ?? item.loc);
      });
    },
  },
});
