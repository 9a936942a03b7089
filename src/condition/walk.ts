/** Typed traversals of condition trees: visit, rebuild, collect, and strip spans for comparison. */
import type { Expr, FieldRef, MacroRef, RightOperand, TransformerArg } from './ast.js';

/** Any node of a condition tree: an expression or one of its operands. */
export type ConditionNode = Expr | RightOperand | TransformerArg;

/** Visits every node, parents before children, left to right. */
export function forEachNode(expr: Expr, visit: (node: ConditionNode) => void): void {
  const stack: ConditionNode[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

function childrenOf(node: ConditionNode): readonly ConditionNode[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.operands;
    case 'not':
      return [node.operand];
    case 'unary-check':
      return [node.left];
    case 'binary-check':
      return [node.left, node.right];
    case 'transformer':
      return node.args;
    case 'transformer-list':
      return node.items;
    case 'list':
      return node.items;
    case 'macro-ref':
    case 'field':
    case 'value':
      return [];
  }
}

/**
 * Rebuilds the tree bottom-up: children first, then `fn` on each rebuilt expression node (checks
 * and macro references included). The input is not modified. Used for macro substitution.
 */
export function mapExpr(expr: Expr, fn: (expr: Expr) => Expr): Expr {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return fn({ ...expr, operands: expr.operands.map((e) => mapExpr(e, fn)) });
    case 'not':
      return fn({ ...expr, operand: mapExpr(expr.operand, fn) });
    default:
      return fn(expr);
  }
}

/** Every field reference, in source order, including those inside transformers and `val()`. */
export function collectFields(expr: Expr): FieldRef[] {
  const fields: FieldRef[] = [];
  forEachNode(expr, (node) => {
    if (node.kind === 'field') fields.push(node);
  });
  return fields;
}

/** Every macro reference, in source order. */
export function collectMacroRefs(expr: Expr): MacroRef[] {
  const refs: MacroRef[] = [];
  forEachNode(expr, (node) => {
    if (node.kind === 'macro-ref') refs.push(node);
  });
  return refs;
}

/** A node type with its `span` removed, recursively. */
export type WithoutSpans<T> = T extends readonly (infer U)[]
  ? WithoutSpans<U>[]
  : T extends object
    ? { [K in keyof T as K extends 'span' ? never : K]: WithoutSpans<T[K]> }
    : T;

/** A deep copy without spans, for comparing trees parsed from different text. */
export function withoutSpans<T extends ConditionNode>(node: T): WithoutSpans<T> {
  return stripSpans(node) as WithoutSpans<T>;
}

function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== 'span') out[key] = stripSpans(child);
  }
  return out;
}
