/**
 * Splits expanded trees by owner without re-parsing: macro expansion shares the macro's tree by
 * identity, so a node that is some macro's root starts text that macro owns.
 */
import type { Loc } from '../../diagnostics/index.js';
import type { Expr } from '../../condition/ast.js';
import type { CompiledRuleset, TextSegment } from '../../rules/index.js';
import type { OwnCondition } from './define-check.js';

export function ownConditions(compiled: CompiledRuleset): OwnCondition[] {
  const roots = new Map<Expr, string>();
  for (const m of compiled.macros) if (m.ast && !roots.has(m.ast)) roots.set(m.ast, m.name);
  const out: OwnCondition[] = [];
  for (const m of compiled.macros) {
    if (!m.ast || roots.get(m.ast) !== m.name) continue;
    out.push(own({ itemType: 'macro', itemName: m.name }, m.ast, roots, m.entry.conditionSegments, m.entry.loc));
  }
  for (const r of compiled.rules) {
    out.push(own({ itemType: 'rule', itemName: r.name }, r.ast, roots, r.entry.conditionSegments, r.entry.loc));
  }
  return out;
}

function own(owner: OwnCondition['owner'], ast: Expr, roots: Map<Expr, string>, segments: TextSegment[], fallback: Loc): OwnCondition {
  const nodes: Expr[] = [];
  const walk = (e: Expr, top: boolean): void => {
    if (!top && roots.has(e)) return;
    if (top && owner.itemType === 'rule' && roots.has(e)) return;
    nodes.push(e);
    if (e.kind === 'and' || e.kind === 'or') for (const o of e.operands) walk(o, false);
    else if (e.kind === 'not') walk(e.operand, false);
  };
  walk(ast, true);
  return { owner, ast, nodes, locate: (node) => locateOffset(segments, node.span.start, fallback) };
}

/** The scalar a condition offset falls in (appends join several scalars into one text). */
export function locateOffset(segments: readonly TextSegment[], offset: number, fallback: Loc): Loc {
  let found: TextSegment | undefined;
  for (const s of segments) if (s.offset <= offset) found = s;
  return (found ?? segments[0])?.loc ?? fallback;
}
