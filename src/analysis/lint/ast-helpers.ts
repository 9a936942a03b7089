/** Small predicates over the condition AST shared by several checks. */
import type { BinaryCheck, Expr, FieldOperand, UnaryCheck } from '../../condition/ast.js';

export type Leaf = BinaryCheck | UnaryCheck;

export function isLeaf(e: Expr): e is Leaf {
  return e.kind === 'binary-check' || e.kind === 'unary-check';
}

/** `evt.type` / `syscall.type` compared positively with = == in (the tests Falco indexes on). */
export function isEventTypeCheck(e: Expr): boolean {
  return e.kind === 'binary-check' && e.left.kind === 'field' && (e.left.name === 'evt.type' || e.left.name === 'syscall.type') && e.left.arg === undefined;
}

/** The field a check reads, printed (`proc.aname[2]`), or undefined for a transformer. */
export function fieldName(left: FieldOperand): string | undefined {
  if (left.kind !== 'field') return undefined;
  return left.arg === undefined ? left.name : `${left.name}[${left.arg}]`;
}

/** Literal values on the right of a check (none for a field or transformer). */
export function literalValues(e: BinaryCheck): string[] {
  if (e.right.kind === 'value') return [e.right.value];
  if (e.right.kind === 'list') return e.right.items.map((i) => i.value);
  return [];
}

/** Leaves that may be evaluated first: the leftmost of every `or` branch. */
export function leadingLeaves(e: Expr): Expr[] {
  switch (e.kind) {
    case 'and':
      return e.operands.length > 0 ? leadingLeaves(e.operands[0]) : [];
    case 'or':
      return e.operands.flatMap(leadingLeaves);
    case 'not':
      return leadingLeaves(e.operand);
    default:
      return [e];
  }
}

/** The conjuncts of a top-level `and`, with nested `and` groups flattened (short-circuit order). */
export function conjuncts(e: Expr): Expr[] {
  return e.kind === 'and' ? e.operands.flatMap(conjuncts) : [e];
}

/** Every leaf below a node. */
export function leavesOf(e: Expr, out: Leaf[] = []): Leaf[] {
  if (e.kind === 'and' || e.kind === 'or') for (const o of e.operands) leavesOf(o, out);
  else if (e.kind === 'not') leavesOf(e.operand, out);
  else if (isLeaf(e)) out.push(e);
  return out;
}

/** Compact source-like text of a leaf for messages. */
export function describeLeaf(e: Leaf): string {
  const left = fieldName(e.left) ?? `${e.left.kind === 'transformer' ? e.left.name : ''}(…)`;
  if (e.kind === 'unary-check') return `${left} exists`;
  const values = literalValues(e);
  const right = e.right.kind === 'list' ? `(${shorten(values.join(', '))})` : e.right.kind === 'value' ? shorten(values[0] ?? '') : '…';
  return `${left} ${e.op}${e.modifier ? ` ${e.modifier}` : ''} ${right}`;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
