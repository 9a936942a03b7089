import { defineCheck } from '../define-check.js';
import { valueLoc } from '../locations.js';

export const emptyList = defineCheck({
  id: 'empty-list',
  severity: 'warning',
  summary: 'A list is not emptied by a later definition',
  rationale:
    'A list that had items and is later redefined (or replaced with override: {items: replace}) as `[]` expands to `()`: `x in ()` is never true, so every rule or exclusion built on it silently stops matching. It is almost always an overlay that meant to append and forgot `override: {items: append}`. Lists defined empty from the start are left alone: upstream leaves many as hooks (trusted_images, known_ptrace_binaries) for deployments to fill.',
  hint: 'append with override: {items: append} instead, or delete the clauses that use the list',
  messages: {
    emptied: 'list "{name}" had {count} items and is emptied here: every "in" test on it is now false',
  },
  visit: {
    ruleset(_compiled, ctx) {
      const sizes = new Map<string, number>();
      for (const file of ctx.environment.files) {
        for (const item of file.items) {
          if (item.kind !== 'list') continue;
          const appends = item.append || item.override?.items === 'append';
          const before = sizes.get(item.name) ?? 0;
          const after = appends ? before + item.items.length : item.items.length;
          sizes.set(item.name, after);
          if (!appends && after === 0 && before > 0) {
            ctx.report({ itemType: 'list', itemName: item.name }, 'emptied', { name: item.name, count: before }, valueLoc(item, 'items'));
          }
        }
      }
    },
  },
});
