/**
 * An expanded condition (macros and lists substituted, exceptions applied) compiled once into
 * closures over an event, with Kleene three-valued logic: a check on a field the event does not
 * carry is unknown, `and` is false if any operand is false, `or` true if any is true.
 */
import type { BinaryCheck, Expr, Span, UnaryCheck } from '../condition/ast.js';
import type { FalcoEvent, Scalar } from './event.js';
import { valueKindOf, type FieldTypeResolver } from './field-types.js';
import { compileListCompare, compileScalarCompare, type CompareResult, type ValueTest } from './compare.js';
import { ALWAYS_FALSE, ALWAYS_TRUE, compileAnd, compileOr } from './connectives.js';
import { compileScalarLeaf } from './scalar-leaf.js';
import { compileStringLeaf } from './string-leaf.js';
import { compileOperand, RECORD_ACCESS, type CompiledOperand, type EventRow, type FieldAccess } from './operand.js';
import { FALSE, TRUE, UNKNOWN, type Truth } from './truth.js';

export type Predicate = (ev: FalcoEvent) => Truth;
/** A predicate over an event row (field-layout.ts). */
export type RowPredicate = (row: EventRow) => Truth;
/** Internal: a predicate over the representation the condition is compiled for. */
type Pred = (ev: unknown) => Truth;

/** Something the evaluator cannot evaluate (Falco would refuse it at load time); the check stays unknown. */
export interface CompileIssue {
  message: string;
  span: Span;
}

export interface LeafInfo {
  predicate: Predicate;
  /** Event keys the check reads. */
  keys: string[];
}

export interface CompiledCondition {
  expr: Expr;
  evaluate: Predicate;
  issues: CompileIssue[];
  /** Every event key the condition reads, sorted. */
  keys: string[];
  /** Each check node's own predicate, for explanations. */
  leaves: Map<Expr, LeafInfo>;
}

const unknown: Pred = () => UNKNOWN;

/**
 * Truth values known in advance for some sub-expressions (replay: parts of a condition that held
 * when the alert was raised); such a node becomes a constant and is not evaluated.
 */
export type KnownTruth = (expr: Expr) => Truth | undefined;

export function compileCondition(expr: Expr, resolve: FieldTypeResolver, known?: KnownTruth): CompiledCondition {
  const issues: CompileIssue[] = [];
  const leaves = new Map<Expr, LeafInfo>();
  const evaluate = compileNode(expr, { resolve, issues, leaves, known, access: RECORD_ACCESS }) as Predicate;
  const keys = [...new Set([...leaves.values()].flatMap((l) => l.keys))].sort();
  return { expr, evaluate, issues, keys, leaves };
}

/**
 * Row predicates already compiled for the nodes of one rule index (one resolver), and how a shared
 * node's predicate is wrapped (shared-row-nodes.ts): a node compiled once serves every rule using it.
 */
export interface RowNodeCache {
  compiled: Map<Expr, RowPredicate>;
  wrap(expr: Expr, predicate: RowPredicate): RowPredicate;
  /**
   * Set when every row these predicates see has this `evt.type` (a rule index's bucket for it):
   * checks on `evt.type` alone become constants, and and/or/not over constants fold away.
   */
  eventType?: string;
}

/** The same condition over event rows: `slotOf` gives each field key its index in a row. */
export function compileRowCondition(expr: Expr, resolve: FieldTypeResolver, slotOf: (key: string) => number, cache?: RowNodeCache): RowPredicate {
  return compileNode(expr, { resolve, issues: [], leaves: new Map(), known: undefined, access: { mode: 'row', slotOf }, cache });
}

interface CompileContext {
  resolve: FieldTypeResolver;
  issues: CompileIssue[];
  leaves: Map<Expr, LeafInfo>;
  known: KnownTruth | undefined;
  access: FieldAccess;
  cache?: RowNodeCache | undefined;
}

function compileNode(expr: Expr, ctx: CompileContext): Pred {
  const { cache } = ctx;
  if (cache === undefined) return compileFresh(expr, ctx);
  const done = cache.compiled.get(expr) as Pred | undefined;
  if (done !== undefined) return done;
  const fresh = foldEventType(expr, ctx.resolve, cache.eventType) ?? compileFresh(expr, ctx);
  const predicate = (fresh === ALWAYS_TRUE || fresh === ALWAYS_FALSE ? fresh : cache.wrap(expr, fresh)) as Pred;
  cache.compiled.set(expr, predicate);
  return predicate;
}

/** A check on `evt.type` alone, decided for rows known to carry `eventType` (as the check itself decides it). */
function foldEventType(expr: Expr, resolve: FieldTypeResolver, eventType: string | undefined): RowPredicate | undefined {
  if (eventType === undefined || (expr.kind !== 'binary-check' && expr.kind !== 'unary-check')) return undefined;
  const { left } = expr;
  if (left.kind !== 'field' || left.name !== 'evt.type' || left.arg !== undefined) return undefined;
  if (expr.kind === 'binary-check' && expr.right.kind !== 'value' && expr.right.kind !== 'list') return undefined;
  const t = compileCheck(expr, resolve, [], RECORD_ACCESS).predicate({ 'evt.type': eventType });
  return t === TRUE ? ALWAYS_TRUE : t === FALSE ? ALWAYS_FALSE : undefined;
}

function compileFresh(expr: Expr, ctx: CompileContext): Pred {
  const { issues, leaves } = ctx;
  const fixed = ctx.known?.(expr);
  if (fixed !== undefined) {
    const predicate: Pred = () => fixed;
    leaves.set(expr, { predicate, keys: [] });
    return predicate;
  }
  switch (expr.kind) {
    case 'and':
      return compileAnd(expr.operands.map((e) => compileNode(e, ctx)));
    case 'or':
      return compileOr(expr.operands.map((e) => compileNode(e, ctx)));
    case 'not': {
      const inner = compileNode(expr.operand, ctx);
      if (inner === ALWAYS_TRUE) return ALWAYS_FALSE;
      if (inner === ALWAYS_FALSE) return ALWAYS_TRUE;
      return (ev) => {
        const t = inner(ev);
        return t === UNKNOWN ? UNKNOWN : ((1 - t) as Truth);
      };
    }
    case 'macro-ref':
      issues.push({ message: `macro '${expr.name}' is not expanded`, span: expr.span });
      leaves.set(expr, { predicate: unknown, keys: [] });
      return unknown;
    case 'unary-check':
    case 'binary-check': {
      const leaf = compileCheck(expr, ctx.resolve, issues, ctx.access);
      leaves.set(expr, leaf);
      return leaf.predicate as Pred;
    }
  }
}

function compileCheck(check: UnaryCheck | BinaryCheck, resolve: FieldTypeResolver, issues: CompileIssue[], access: FieldAccess): LeafInfo {
  const left = compileOperand(check.left, resolve, access);
  if (check.kind === 'unary-check') return { predicate: compileExists(left), keys: left.keys };
  const kind = valueKindOf(left.type.type);
  const { op, modifier, right } = check;
  // A multi-valued field: `in` needs every value in the set, `intersects` any (libsinsp compare_rhs).
  const every = left.type.list && op === 'in';
  if (right.kind === 'value' || right.kind === 'list') {
    const items = right.kind === 'value' ? [right.value] : right.items.map((i) => i.value);
    const listy = right.kind === 'list' || modifier !== undefined || op === 'in' || op === 'intersects' || op === 'pmatch';
    if (access.mode === 'row' && left.plainKey !== undefined && !left.type.list && modifier === undefined && (kind === 'string' || kind === 'buffer')) {
      const fast = compileStringLeaf(op, items, listy, access.slotOf(left.plainKey));
      if (fast) return { predicate: fast, keys: left.keys };
    }
    const compiled: CompareResult = listy ? compileListCompare(op, kind, items, modifier) : compileScalarCompare(op, kind, items[0]);
    if (!compiled.ok) {
      issues.push({ message: compiled.message, span: check.span });
      return { predicate: unknown, keys: left.keys };
    }
    const general = applyTest(left, compiled.test, every, access);
    if (access.mode === 'row' && left.plainKey !== undefined && !left.type.list && !listy) {
      const fast = compileScalarLeaf(op, kind, items[0], access.slotOf(left.plainKey), general);
      if (fast) return { predicate: fast, keys: left.keys };
    }
    return { predicate: general, keys: left.keys };
  }
  const rhs = compileOperand(right, resolve, access);
  return { predicate: compileFieldCompare(left, rhs, check, kind, every), keys: [...left.keys, ...rhs.keys] };
}

function compileExists(left: CompiledOperand): Pred {
  const { extract } = left;
  return (ev) => {
    const v = extract(ev);
    return v === undefined ? UNKNOWN : v === null ? FALSE : TRUE;
  };
}

function applyTest(left: CompiledOperand, test: ValueTest, every: boolean, access: FieldAccess): Pred {
  const onValues = (vs: readonly Scalar[]): Truth => {
    if (every) {
      for (const x of vs) if (!test(x)) return FALSE;
      return TRUE;
    }
    for (const x of vs) if (test(x)) return TRUE;
    return FALSE;
  };
  const key = left.plainKey;
  if (key !== undefined && access.mode === 'row') {
    const slot = access.slotOf(key);
    return (ev) => {
      const v = (ev as EventRow)[slot];
      if (v === undefined) return UNKNOWN;
      if (v === null) return FALSE;
      if (typeof v === 'object') return v.length === 0 ? FALSE : onValues(v);
      return test(v) ? TRUE : FALSE;
    };
  }
  if (key !== undefined) {
    return (ev) => {
      const v = (ev as FalcoEvent)[key];
      if (v === undefined) return UNKNOWN;
      if (v === null) return FALSE;
      if (typeof v === 'object') return v.length === 0 ? FALSE : onValues(v);
      return test(v) ? TRUE : FALSE;
    };
  }
  const { extract } = left;
  return (ev) => {
    const v = extract(ev);
    return v === undefined ? UNKNOWN : v === null ? FALSE : onValues(v);
  };
}

function compileFieldCompare(left: CompiledOperand, rhs: CompiledOperand, check: BinaryCheck, kind: ReturnType<typeof valueKindOf>, every: boolean): Pred {
  const { op, modifier } = check;
  const setLike = op === 'in' || op === 'intersects' || op === 'pmatch' || modifier !== undefined;
  return (ev) => {
    const l = left.extract(ev);
    const r = rhs.extract(ev);
    if (l === undefined || r === undefined) return l === null || r === null ? FALSE : UNKNOWN;
    if (l === null || r === null) return FALSE;
    const items = setLike ? r.map(String) : [String(r[0])];
    const c = setLike ? compileListCompare(op, kind, items, modifier) : compileScalarCompare(op, kind, items[0]);
    if (!c.ok) return FALSE;
    if (every) return l.every((x) => c.test(x)) ? TRUE : FALSE;
    return l.some((x) => c.test(x)) ? TRUE : FALSE;
  };
}
