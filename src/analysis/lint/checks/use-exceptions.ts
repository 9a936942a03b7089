import { defineCheck } from '../define-check.js';
import { valueLoc } from '../locations.js';
import { appendsExclusion } from './use-user-hook.js';

export const useExceptions = defineCheck({
  id: 'use-exceptions',
  severity: 'warning',
  summary: 'Exclusions go into the exceptions a rule defines',
  rationale:
    'A rule with `exceptions:` declares which fields it is meant to be tuned on. Adding values to one of them (`override: {exceptions: append}`) is structured, survives upstream changes to the condition, and shows up by name in describe output; an appended `and not …` does none of that and can change the precedence of the condition.',
  hint: 'append values to the exception instead: - rule: R, exceptions: [{name: E, values: [...]}], override: {exceptions: append}',
  messages: {
    exceptions: 'appended "and not …" on rule "{rule}", which defines exceptions ({names}) for this',
  },
  visit: {
    ruleset(compiled, ctx) {
      for (const file of ctx.environment.files) {
        for (const item of file.items) {
          if (item.kind !== 'rule' || !appendsExclusion(item)) continue;
          const entry = compiled.merged.rules.get(item.name);
          const names = (entry?.exceptions ?? []).filter((e) => e.fields !== undefined).map((e) => e.name);
          if (names.length === 0) continue;
          ctx.report(
            { itemType: 'rule', itemName: item.name },
            'exceptions',
            { rule: item.name, names: [...new Set(names)].join(', ') },
            valueLoc(item, 'condition'),
          );
        }
      }
    },
  },
});
