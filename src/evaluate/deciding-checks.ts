/**
 * Why a condition came out as it did for one event: the checks that decided it. For `and`, the
 * first false operand decides a false result; for `or`, the first true operand decides a true
 * one; otherwise every operand counts. Unknown results name the fields the event lacked.
 * Slow on purpose (it walks the tree); used for test failures and replay examples only.
 */
import type { Expr } from '../condition/ast.js';
import type { FalcoEvent } from './event.js';
import type { CompiledCondition } from './compile-condition.js';
import { FALSE, TRUE, UNKNOWN, notTruth, type Truth } from './truth.js';

export interface DecidingCheck {
  /** The check node (unary or binary check). */
  expr: Expr;
  truth: Truth;
  /** Fields the check needed that the event does not carry (only when unknown). */
  missing: string[];
}

export interface Explanation {
  truth: Truth;
  deciding: DecidingCheck[];
  /** Every field whose absence left the result undecided, sorted. */
  missing: string[];
}

interface Walk {
  truth: Truth;
  deciding: DecidingCheck[];
}

export function explainCondition(compiled: CompiledCondition, ev: FalcoEvent): Explanation {
  const walk = (e: Expr): Walk => {
    const leaf = compiled.leaves.get(e);
    if (leaf) {
      const truth = leaf.predicate(ev);
      const missing = truth === UNKNOWN ? leaf.keys.filter((k) => ev[k] === undefined) : [];
      return { truth, deciding: [{ expr: e, truth, missing }] };
    }
    switch (e.kind) {
      case 'not': {
        const inner = walk(e.operand);
        return { truth: notTruth(inner.truth), deciding: inner.deciding };
      }
      case 'and':
      case 'or': {
        const parts = e.operands.map(walk);
        const dominant = e.kind === 'and' ? FALSE : TRUE;
        const first = parts.find((p) => p.truth === dominant);
        if (first) return { truth: dominant, deciding: first.deciding };
        const unknowns = parts.filter((p) => p.truth === UNKNOWN);
        if (unknowns.length > 0) return { truth: UNKNOWN, deciding: unknowns.flatMap((p) => p.deciding) };
        return { truth: dominant === FALSE ? TRUE : FALSE, deciding: parts.flatMap((p) => p.deciding) };
      }
      default:
        return { truth: UNKNOWN, deciding: [{ expr: e, truth: UNKNOWN, missing: [] }] };
    }
  };
  const result = walk(compiled.expr);
  const missing = [...new Set(result.deciding.flatMap((d) => d.missing))].sort();
  return { truth: result.truth, deciding: result.deciding, missing };
}
