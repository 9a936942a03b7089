import picomatch from 'picomatch';
import { defineCheck } from '../define-check.js';

export const requiredTags = defineCheck({
  id: 'required-tags',
  severity: 'warning',
  summary: 'Enabled rules carry the tags the repository requires',
  rationale:
    "Alert routing and reporting key on tags: a mitre_* tag places the alert in the ATT&CK matrix, a team tag sends it to the people who can act on it. A rule without them lands in a catch-all channel nobody owns. The patterns come from the repository's lint policy (requiredTags); each must be matched by at least one tag. Off when none are configured.",
  hint: 'add a matching tag, for upstream rules with override: {tags: append}',
  messages: {
    missing: 'rule "{rule}" has no tag matching {pattern}',
  },
  visit: {
    ruleset(compiled, ctx) {
      const patterns = ctx.policy.requiredTags ?? [];
      if (patterns.length === 0) return;
      const matchers = patterns.map((p) => ({ pattern: p, test: picomatch(p) }));
      for (const rule of compiled.rules) {
        if (!rule.enabled) continue;
        for (const m of matchers) {
          if (rule.tags.some((t) => m.test(t))) continue;
          const at = rule.entry.history.findLast((c) => c.field === 'tags')?.loc ?? rule.entry.loc;
          ctx.report({ itemType: 'rule', itemName: rule.name }, 'missing', { rule: rule.name, pattern: m.pattern }, at);
        }
      }
    },
  },
});
