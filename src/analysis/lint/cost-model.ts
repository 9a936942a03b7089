/**
 * The cost model (docs/checks/cost.md): the expected number of comparison units evaluated for one
 * event of the rule's own event types, with short-circuit order respected.
 * - a leaf costs its operator's weight (equality, set and prefix tests 1; contains 2; pmatch 3;
 *   glob 4; regex 8), plus 1 per transformer, times the list length for oneof/anyof/allof;
 * - an event-type test is true for such an event (it passes with probability 1); any other leaf
 *   passes with probability 1/2; `not` flips it;
 * - `a and b`: cost(a) + P(a)·cost(b); `a or b`: cost(a) + (1 − P(a))·cost(b); n-ary alike.
 */
import type { BinaryOperator, Expr, FieldOperand } from '../../condition/ast.js';
import type { CompiledRule } from '../../rules/index.js';
import { isEventTypeCheck } from './ast-helpers.js';

const WEIGHT: Record<BinaryOperator | 'exists', number> = {
  exists: 1,
  '=': 1,
  '==': 1,
  '!=': 1,
  '<': 1,
  '<=': 1,
  '>': 1,
  '>=': 1,
  in: 1,
  intersects: 1,
  startswith: 1,
  bstartswith: 1,
  endswith: 1,
  contains: 2,
  icontains: 2,
  bcontains: 2,
  pmatch: 3,
  glob: 4,
  iglob: 4,
  regex: 8,
};

export interface RuleCost {
  rule: string;
  /** Expected comparison units per matching event. */
  expected: number;
  /** Every comparison, as if nothing short-circuited. */
  worst: number;
}

export function estimateCost(e: Expr): { cost: number; pass: number; worst: number } {
  switch (e.kind) {
    case 'and':
    case 'or': {
      let cost = 0;
      let reach = 1;
      let worst = 0;
      let pass = e.kind === 'and' ? 1 : 0;
      for (const o of e.operands) {
        const c = estimateCost(o);
        cost += reach * c.cost;
        worst += c.worst;
        if (e.kind === 'and') {
          reach *= c.pass;
          pass *= c.pass;
        } else {
          reach *= 1 - c.pass;
          pass = 1 - reach;
        }
      }
      return { cost, pass, worst };
    }
    case 'not': {
      const c = estimateCost(e.operand);
      return { cost: c.cost, pass: 1 - c.pass, worst: c.worst };
    }
    case 'macro-ref':
      return { cost: 0, pass: 0.5, worst: 0 };
    case 'unary-check': {
      const w = WEIGHT.exists + transformers(e.left);
      return { cost: w, pass: 0.5, worst: w };
    }
    case 'binary-check': {
      const n = e.modifier !== undefined && e.right.kind === 'list' ? Math.max(1, e.right.items.length) : 1;
      const w = WEIGHT[e.op] * n + transformers(e.left) + (e.right.kind === 'transformer' ? transformers(e.right) : 0);
      return { cost: w, pass: isEventTypeCheck(e) && e.op !== '!=' ? 1 : 0.5, worst: w };
    }
  }
}

function transformers(f: FieldOperand): number {
  if (f.kind === 'field') return 0;
  return 1 + f.args.reduce((n, a) => n + (a.kind === 'transformer' ? transformers(a) : 0), 0);
}

export function ruleCost(rule: CompiledRule): RuleCost {
  const c = estimateCost(rule.ast);
  return { rule: rule.name, expected: round(c.cost), worst: c.worst };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
