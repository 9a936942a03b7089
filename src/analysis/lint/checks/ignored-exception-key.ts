import { didYouMean } from '../../../diagnostics/index.js';
import { EXCEPTION_KEYS } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';

export const ignoredExceptionKey = defineCheck({
  id: 'ignored-exception-key',
  severity: 'warning',
  summary: 'Every key of an exception is one Falco reads',
  rationale:
    'Falco reads `name`, `fields`, `comps` and `values` from an exception and ignores any other key without a word: its rules schema flags it, but a schema warning never stops a load. A misspelt `comps` leaves every comparison at its default (`=` per field, or `in`), so the exception matches other events than the ones it was written for.',
  hint: 'rename the key to the one meant (name, fields, comps or values), or remove it',
  messages: {
    ignored: "exception '{exception}' of rule \"{rule}\" has a key '{key}' that Falco ignores",
  },
  visit: {
    item(item, _file, ctx) {
      if (item.kind !== 'rule') return;
      for (const exception of item.fields.exceptions ?? []) {
        for (const { key, loc } of exception.ignoredKeys ?? []) {
          const hint = didYouMean(key, EXCEPTION_KEYS);
          ctx.report({ itemType: 'rule', itemName: item.name }, 'ignored', { exception: exception.name, rule: item.name, key }, loc, hint ? { hint } : {});
        }
      }
    },
  },
});
