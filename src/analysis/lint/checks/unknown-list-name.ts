import { didYouMean } from '../../../diagnostics/index.js';
import type { CompiledRuleset } from '../../../rules/index.js';
import { defineCheck } from '../define-check.js';
import { fieldName } from '../ast-helpers.js';

/** Names that read as a list's (snake_case with an underscore), not as a process or path. */
const LIST_LIKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

export const unknownListName = defineCheck({
  id: 'unknown-list-name',
  severity: 'warning',
  summary: 'A value in parentheses that is close to a list name is that list',
  rationale:
    'Falco replaces a list name in `in (…)`, `intersects (…)` or `pmatch (…)` by its items, and takes any other word as a value: a misspelt list name is compared as a literal string, so the rule silently matches nothing it was meant to. Falco says nothing about it.',
  hint: 'correct the name to the list meant',
  messages: {
    notList: '"{value}" in {field} {op} (…) is no list, so Falco compares it as a value; did you mean list "{list}"?',
  },
  visit: {
    condition(cond, ctx) {
      const meantList = listNamesOf(ctx, ctx.environment.compiled);
      for (const node of cond.nodes) {
        if (node.kind !== 'binary-check' || node.right.kind !== 'list' || node.left.kind !== 'field') continue;
        for (const item of node.right.items) {
          if (!LIST_LIKE.test(item.value)) continue;
          const meant = meantList(item.value);
          if (meant === undefined) continue;
          const list = /'(.*)'/.exec(meant)![1];
          ctx.report(cond.owner, 'notList', { value: item.value, field: fieldName(node.left) ?? '', op: node.op, list }, cond.locate(node), { hint: meant });
        }
      }
    },
  },
});

const listNames = new WeakMap<object, (value: string) => string | undefined>();

/** The ruleset's list a value is likely a typo of (undefined for a list's own name), each value worked out once per run (`run`: the check's context). */
function listNamesOf(run: object, compiled: CompiledRuleset): (value: string) => string | undefined {
  let meant = listNames.get(run);
  if (meant === undefined) {
    const names = compiled.lists.map((l) => l.name);
    const known = new Set(names);
    const answers = new Map<string, string | undefined>();
    meant = (value) => {
      if (known.has(value)) return undefined;
      if (!answers.has(value)) answers.set(value, didYouMean(value, names));
      return answers.get(value);
    };
    listNames.set(run, meant);
  }
  return meant;
}
