/**
 * Expanded rules share their macros' subtrees (the very same objects). Within one rule index each
 * node is compiled once, and a composite node reachable from more than one place keeps its truth
 * value for the event being evaluated, so `spawned_process` or `open_write` runs once per event
 * however many rules use it. Every node is pure, so this changes no result and no evaluation order
 * that can be observed: a node evaluated again would give the same truth value. The truth value
 * kept for a node is the same whichever compiled form (generic, or folded for the event's type)
 * computed it.
 */
import type { Expr } from '../condition/ast.js';
import type { RowNodeCache, RowPredicate } from './compile-condition.js';
import type { Truth } from './truth.js';

export interface SharedRowNodes {
  /** One compile cache per rule source (field-type resolver), and per event type when rows are known to have it. */
  cacheFor(source: string, eventType?: string): RowNodeCache;
  /** Starts a new event: truth values kept for shared nodes are forgotten. */
  beginEvent(): void;
}

/** Counts, over `asts`, how many parents (or rule roots) reach each node; a repeated subtree is walked once. */
export function countNodeParents(asts: Iterable<Expr>): Map<Expr, number> {
  const parents = new Map<Expr, number>();
  const visit = (e: Expr): void => {
    const seen = parents.get(e);
    parents.set(e, (seen ?? 0) + 1);
    if (seen !== undefined) return;
    if (e.kind === 'and' || e.kind === 'or') for (const o of e.operands) visit(o);
    else if (e.kind === 'not') visit(e.operand);
  };
  for (const ast of asts) visit(ast);
  return parents;
}

export function createSharedRowNodes(asts: Iterable<Expr>): SharedRowNodes {
  const parents = countNodeParents(asts);
  const memoised = new Map<Expr, number>();
  for (const [e, n] of parents) if (n > 1 && isComposite(e)) memoised.set(e, memoised.size);
  // stamps[i] is the event number whose truth value values[i] holds; 0 is no event.
  const stamps = new Uint32Array(memoised.size);
  const values = new Uint8Array(memoised.size);
  const state = { event: 0 };
  const caches = new Map<string, RowNodeCache>();
  const wrap = (expr: Expr, predicate: RowPredicate): RowPredicate => {
    const i = memoised.get(expr);
    if (i === undefined) return predicate;
    return (row) => {
      if (stamps[i] === state.event) return values[i] as Truth;
      const t = predicate(row);
      stamps[i] = state.event;
      values[i] = t;
      return t;
    };
  };
  return {
    cacheFor(source, eventType) {
      const key = eventType === undefined ? source : `${source}\u0000${eventType}`;
      let cache = caches.get(key);
      if (cache === undefined) {
        cache = eventType === undefined ? { compiled: new Map(), wrap } : { compiled: new Map(), wrap, eventType };
        caches.set(key, cache);
      }
      return cache;
    },
    beginEvent() {
      if (++state.event === 0xffffffff) {
        stamps.fill(0);
        state.event = 1;
      }
    },
  };
}

/** Leaves are cheaper to re-run than to look up; and/or/not over a composite are worth keeping. */
function isComposite(e: Expr): boolean {
  if (e.kind === 'and' || e.kind === 'or') return true;
  return e.kind === 'not' && isComposite(e.operand);
}
