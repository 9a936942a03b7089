import type { CompiledRule } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';

export const disabledEverywhere = defineCheck({
  id: 'disabled-everywhere',
  severity: 'warning',
  summary: 'A rule of our own is enabled in at least one environment',
  rationale:
    'A rule the repository defines but disables in every environment is dead code that still has to be reviewed, tested and merged on each upstream upgrade, and it reads as if it protected something. Rules first defined upstream are left alone; this check needs named environments and is off for bare files.',
  hint: 'enable it somewhere (even at a low priority, to learn its noise) or delete it',
  messages: {
    disabled: 'rule "{rule}" is disabled in every environment ({envs})',
  },
  visit: {
    environments(all, ctx) {
      if (all.length === 0 || all.some((e) => e.name === undefined)) return;
      const byName = new Map<string, { rule: CompiledRule; enabled: boolean }>();
      for (const env of all) {
        for (const rule of env.compiled.rules) {
          const seen = byName.get(rule.name);
          byName.set(rule.name, { rule: seen?.rule ?? rule, enabled: (seen?.enabled ?? false) || rule.enabled });
        }
      }
      for (const { rule, enabled } of byName.values()) {
        if (enabled || ctx.isUpstream(rule.entry.loc.file)) continue;
        ctx.report({ itemType: 'rule', itemName: rule.name }, 'disabled', { rule: rule.name, envs: all.map((e) => e.name).join(', ') }, rule.entry.loc);
      }
    },
  },
});
