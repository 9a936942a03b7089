/** Macro references are AST substitutions (§4): a reference becomes the macro's tree, nesting kept. */
import type { Expr, Span } from '../condition/ast.js';
import type { CompiledMacro } from './model.js';

/** Macros by name, as a Map gives them. */
export interface MacroTable {
  get(name: string): CompiledMacro | undefined;
  keys(): Iterable<string>;
}

/**
 * The most nodes macro expansion may add to one condition. Expanded trees share their
 * macros' subtrees, so a few lines (`eN: (eN-1 or eN-1)`, 28 times) describe 2^28 checks, which
 * no printer or evaluator can walk; the largest upstream rule expands to a few hundred nodes.
 */
const MAX_EXPANDED_NODES = 200_000;

/** Expanded size per node; nodes are never mutated, so the size of one never changes. */
const sizes = new WeakMap<Expr, number>();

/** Nodes of `expr` as a tree, shared subtrees counted once per use, without walking each use. */
function expandedSize(expr: Expr): number {
  const known = sizes.get(expr);
  if (known !== undefined) return known;
  let size = 1;
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const o of expr.operands) size += expandedSize(o);
      break;
    case 'not':
      size += expandedSize(expr.operand);
      break;
    default:
      break;
  }
  sizes.set(expr, size);
  return size;
}

export type ResolveResult =
  | { ok: true; expr: Expr; usedMacros: Set<string> }
  | { ok: false; message: string; span?: Span };

/**
 * Replaces every macro reference in `expr` by the referenced macro's tree, recursively.
 * `isVisible` says whether the referrer may see a macro (macros see only macros defined before
 * their latest change; rules see all).
 */
export function resolveMacroRefs(expr: Expr, table: MacroTable, isVisible: (target: CompiledMacro) => boolean): ResolveResult {
  const usedMacros = new Set<string>();
  const path: string[] = [];
  let failure: { message: string; span: Span } | undefined;
  // nodes the expansion adds: each reference (one node) written at the top becomes its macro's tree
  let added = 0;

  const expand = (e: Expr): Expr => {
    if (failure) return e;
    switch (e.kind) {
      case 'and':
      case 'or': {
        let changed = false;
        const operands = e.operands.map((o) => {
          const r = expand(o);
          if (r !== o) changed = true;
          return r;
        });
        return changed ? { ...e, operands } : e;
      }
      case 'not': {
        const operand = expand(e.operand);
        return operand === e.operand ? e : { ...e, operand };
      }
      case 'macro-ref': {
        const target = table.get(e.name);
        if (!target?.ast || !isVisible(target)) {
          failure = { message: `Undefined macro '${e.name}' used in filter.`, span: e.span };
          return e;
        }
        if (path.includes(e.name)) {
          failure = { message: `reference loop in macro '${e.name}'`, span: e.span };
          return e;
        }
        usedMacros.add(e.name);
        path.push(e.name);
        const body = expand(target.ast);
        path.pop();
        if (path.length === 0) added += expandedSize(body) - 1;
        return body;
      }
      case 'unary-check':
      case 'binary-check':
        return e;
    }
  };

  const result = expand(expr);
  if (failure) return { ok: false, ...failure };
  // only what macros add counts: the written text is already bounded by the file size limit
  if (added > MAX_EXPANDED_NODES) {
    return { ok: false, message: `macros expand to ${added} more nodes in this condition, more than the limit of ${MAX_EXPANDED_NODES}`, span: firstMacroRef(expr) ?? expr.span };
  }
  return { ok: true, expr: result, usedMacros };
}

function firstMacroRef(e: Expr): Span | undefined {
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const o of e.operands) {
        const span = firstMacroRef(o);
        if (span) return span;
      }
      return undefined;
    case 'not':
      return firstMacroRef(e.operand);
    case 'macro-ref':
      return e.span;
    default:
      return undefined;
  }
}
