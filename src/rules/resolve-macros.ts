/** Macro references are AST substitutions (§4): a reference becomes the macro's tree, nesting kept. */
import type { Expr, Span } from '../condition/ast.js';
import type { CompiledMacro } from './model.js';

export type MacroTable = Map<string, CompiledMacro>;

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
        return body;
      }
      case 'unary-check':
      case 'binary-check':
        return e;
    }
  };

  const result = expand(expr);
  if (failure) return { ok: false, ...failure };
  return { ok: true, expr: result, usedMacros };
}
