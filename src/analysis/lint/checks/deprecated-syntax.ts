import { defineCheck } from '../define-check.js';
import { valueLoc } from '../locations.js';

/** Fields Falco warns about in conditions (LOAD_DEPRECATED_ITEM). */
const DEPRECATED_FIELDS = new Set(['evt.dir', 'evt.latency', 'evt.latency.s', 'evt.latency.ns', 'evt.latency.human', 'evt.wait_latency']);

export const deprecatedSyntax = defineCheck({
  id: 'deprecated-syntax',
  severity: 'warning',
  summary: 'No forms Falco reports as deprecated',
  rationale:
    'Falco still loads `append: true`, the standalone `enabled:` form, `syscall.type` and the fields evt.dir and evt.latency*, but warns about each (LOAD_DEPRECATED_ITEM) and will drop them. `append: true` is also ambiguous about what it appends; the `override:` map says it per key.',
  hint: 'use override: {condition: append} (or items/exceptions), override: {enabled: replace}, and evt.type',
  messages: {
    append: '{kind} "{name}" uses the deprecated append: true; use override with {key}: append',
    enabled: 'rule "{name}" sets enabled without override: use override with enabled: replace',
    syscallType: '{kind} "{name}" uses syscall.type: use evt.type',
    field: '{kind} "{name}" uses the deprecated field {field}',
  },
  visit: {
    item(item, _file, ctx) {
      if (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') return;
      const ref = { itemType: item.kind, itemName: item.name } as const;
      const appends = item.kind === 'rule' ? item.shape === 'append' : item.append;
      if (appends) {
        const key = item.kind === 'list' ? 'items' : 'condition';
        ctx.report(ref, 'append', { kind: item.kind, name: item.name, key }, valueLoc(item, 'append'), { hint: `use override: {${key}: append}` });
      }
      if (item.kind === 'rule' && item.shape === 'enabled-only')
        ctx.report(ref, 'enabled', { name: item.name }, valueLoc(item, 'enabled'), { hint: 'use override: {enabled: replace}' });
    },
    condition(cond, ctx) {
      for (const node of cond.nodes) {
        if ((node.kind !== 'binary-check' && node.kind !== 'unary-check') || node.left.kind !== 'field') continue;
        const data = { kind: cond.owner.itemType, name: cond.owner.itemName };
        // each message its own way out: an evt.dir finding has nothing to do with append: true
        if (node.left.name === 'syscall.type') ctx.report(cond.owner, 'syscallType', data, cond.locate(node), { hint: 'use evt.type' });
        else if (DEPRECATED_FIELDS.has(node.left.name))
          ctx.report(cond.owner, 'field', { ...data, field: node.left.name }, cond.locate(node), {
            hint: `drop the ${node.left.name} check: Falco warns about the field and will remove it`,
          });
      }
    },
  },
});
