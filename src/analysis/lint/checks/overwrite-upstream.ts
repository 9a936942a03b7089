import type { RulesItem } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';
import { hookNames } from '../hooks.js';
import { valueLoc } from '../locations.js';

export const overwriteUpstream = defineCheck({
  id: 'overwrite-upstream',
  severity: 'warning',
  summary: 'Overlays tune upstream items instead of replacing them',
  rationale:
    'An overlay that redefines an upstream macro, list or rule (or replaces its condition or items) freezes a copy of it: every later upstream fix, new exclusion or detection improvement to that item is silently lost, and upgrades no longer show what changed. Upstream rules offer hooks for tuning: user_* macros and lists, macros upstream defines as (never_true) placeholders and lists it leaves empty (redefining those is what they are for, so they are not reported), exceptions, and appends.',
  hint: "tune through the rule's user_known_* macro or its exceptions, else use override: append",
  messages: {
    redefine: 'overlay redefines upstream {kind} "{name}": it will no longer receive upstream fixes',
    replace: 'overlay replaces the {key} of upstream {kind} "{name}": it will no longer receive upstream fixes',
  },
  visit: {
    ruleset(_compiled, ctx) {
      const upstream = new Set<string>();
      const hooks = hookNames(ctx.environment.files);
      for (const file of ctx.environment.files) {
        const isUpstream = ctx.isUpstream(file.path);
        for (const item of file.items) {
          if (item.kind !== 'rule' && item.kind !== 'macro' && item.kind !== 'list') continue;
          const key = `${item.kind}\u0000${item.name}`;
          if (isUpstream) {
            upstream.add(key);
            continue;
          }
          if (!upstream.has(key) || hooks.has(key)) continue;
          const ref = { itemType: item.kind, itemName: item.name } as const;
          const replaced = replacedKey(item);
          if (replaced === 'define') ctx.report(ref, 'redefine', { kind: item.kind, name: item.name }, item.loc);
          else if (replaced) ctx.report(ref, 'replace', { kind: item.kind, name: item.name, key: replaced }, valueLoc(item, replaced));
        }
      }
    },
  },
});

/** 'define' for a plain redefinition, else the overridden key. */
function replacedKey(item: RulesItem): string | undefined {
  switch (item.kind) {
    case 'list':
      if (item.append) return undefined;
      return item.override?.items === 'replace' ? 'items' : item.override ? undefined : 'define';
    case 'macro':
      if (item.append) return undefined;
      return item.override?.condition === 'replace' ? 'condition' : item.override ? undefined : 'define';
    case 'rule':
      if (item.shape === 'define') return 'define';
      if (item.shape === 'override' && item.override?.condition === 'replace') return 'condition';
      return undefined;
    default:
      return undefined;
  }
}
