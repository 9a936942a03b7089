import { defineCheck } from '../define-check.js';
import { fieldName } from '../ast-helpers.js';

/** Fewest comparisons of one field in one `or` worth a message. */
const MIN_CHAIN = 3;

export const orChainToIn = defineCheck({
  id: 'or-chain-to-in',
  severity: 'note',
  summary: 'Several equality tests of one field joined by `or` are one `in`',
  rationale:
    '`f = a or f = b or f = c` reads the field and compares it once per operand; `f in (a, b, c)` is one set lookup, shorter to read, and the list can become a named list that overlays extend with `override: {items: append}`.',
  hint: 'replace the chain with field in (a, b, …), or a list',
  messages: {
    chain: '{field} is compared {count} times in one "or": write {field} in ({values})',
  },
  visit: {
    condition(cond, ctx) {
      for (const node of cond.nodes) {
        if (node.kind !== 'or') continue;
        const byField = new Map<string, string[]>();
        for (const o of node.operands) {
          if (o.kind !== 'binary-check' || o.modifier !== undefined || o.left.kind !== 'field') continue;
          const f = fieldName(o.left)!;
          if ((o.op === '=' || o.op === '==') && o.right.kind === 'value') byField.set(f, [...(byField.get(f) ?? []), o.right.value]);
          else if (o.op === 'in' && o.right.kind === 'list') byField.set(f, [...(byField.get(f) ?? []), ...o.right.items.map((i) => i.value)]);
        }
        for (const [field, values] of byField) {
          const count = node.operands.filter(
            (o) => o.kind === 'binary-check' && o.left.kind === 'field' && fieldName(o.left) === field && (o.op === '=' || o.op === '==' || o.op === 'in'),
          ).length;
          if (count < MIN_CHAIN) continue;
          ctx.report(
            cond.owner,
            'chain',
            { field, count, values: values.length > 4 ? `${values.slice(0, 3).join(', ')}, … ${values.length - 3} more` : values.join(', ') },
            cond.locate(node),
          );
        }
      }
    },
  },
});
