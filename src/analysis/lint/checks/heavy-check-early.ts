import type { Expr } from '../../../condition/ast.js';
import { defineCheck } from '../define-check.js';
import { describeLeaf, isEventTypeCheck, isLeaf, leavesOf, type Leaf } from '../ast-helpers.js';
import { conditionLoc } from '../locations.js';

const HEAVY = new Set(['regex', 'glob', 'iglob', 'pmatch', 'intersects']);
/** Positive equality and set tests: cheap, and likely to be false, so they filter early. */
const CHEAP = new Set(['=', '==', 'in']);
/** An `or` of this many comparisons or more counts as heavy (long exception-like chains). */
const LONG_CHAIN = 8;

export const heavyCheckEarly = defineCheck({
  id: 'heavy-check-early',
  severity: 'note',
  summary: 'Expensive comparisons come after cheap equality tests',
  rationale:
    'Falco stops evaluating an `and` at the first false operand. Regular expressions, globs, pmatch, intersects and long `or` chains cost many times an equality test; placed before a cheap positive test (`=`, `in`) that would have rejected the event, they run on events that the cheap test would have discarded for almost nothing. Exclusions (`and not …`) are not counted as cheap tests: they are usually true, so moving them forward saves nothing.',
  hint: 'reorder the `and` so that equality and set tests come before regex, glob, pmatch, intersects and long chains',
  messages: {
    early: 'rule "{rule}" evaluates {heavy} before the cheaper {cheap}',
  },
  visit: {
    rule(rule, ctx) {
      const parts = flatten(rule.ast);
      if (!parts.some((p) => cheapLeaf(p))) return;
      let heavy: Expr | undefined;
      for (const part of parts) {
        if (!heavy) {
          if (isHeavy(part)) heavy = part;
          continue;
        }
        const cheap = cheapLeaf(part);
        if (cheap) {
          ctx.report(
            { itemType: 'rule', itemName: rule.name },
            'early',
            { rule: rule.name, heavy: describe(heavy), cheap: describeLeaf(cheap) },
            conditionLoc(rule.entry),
          );
          return;
        }
      }
    },
  },
});

function flatten(e: Expr): Expr[] {
  return e.kind === 'and' ? e.operands.flatMap(flatten) : [e];
}

function isHeavy(e: Expr): boolean {
  const inner = e.kind === 'not' ? e.operand : e;
  if (inner.kind === 'binary-check') return HEAVY.has(inner.op);
  if (inner.kind === 'or') {
    const leaves = leavesOf(inner);
    return leaves.length >= LONG_CHAIN || leaves.some((l) => l.kind === 'binary-check' && HEAVY.has(l.op));
  }
  return false;
}

/** Exclusions (`not …`) are usually true and `evt.num = 0` is the never_true placeholder: neither filters. */
function cheapLeaf(e: Expr): Leaf | undefined {
  if (e.kind !== 'binary-check' || !CHEAP.has(e.op) || e.modifier !== undefined || e.left.kind !== 'field') return undefined;
  if (isEventTypeCheck(e) || e.left.name === 'evt.num') return undefined;
  return e;
}

function describe(e: Expr): string {
  const inner = e.kind === 'not' ? e.operand : e;
  if (isLeaf(inner)) return describeLeaf(inner);
  return `an "or" of ${leavesOf(inner).length} comparisons`;
}
