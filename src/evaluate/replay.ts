/**
 * Replay of recorded alerts against a candidate ruleset, by difference. An alert proves that its
 * rule's condition held under the ruleset that raised it (the base). So every sub-expression that
 * the base condition forces (an `and` that held makes each operand hold, a `not` that held makes
 * its operand fail, an `or` that failed makes each operand fail) is known for that alert, and any
 * identical sub-expression of the candidate condition takes that value. Only what the change added
 * or altered is evaluated on the alert's output fields; what they cannot decide stays undecided.
 */
import type { Expr } from '../condition/ast.js';
import type { CompiledRule } from '../rules/index.js';
import type { FalcoAlert } from './alert.js';
import { compileCondition, type CompiledCondition } from './compile-condition.js';
import { explainCondition, type Explanation } from './deciding-checks.js';
import type { SourceFieldTypes } from './rules-by-event-type.js';
import { implies } from './implication.js';
import { structuralKey } from './structural-key.js';
import { FALSE, TRUE, UNKNOWN, type Truth } from './truth.js';

/** How a rule differs between the base and the candidate. */
export type RuleChange = 'unchanged' | 'changed' | 'disabled' | 'removed' | 'not-in-base';
export type ReplayVerdict = 'fires' | 'suppressed' | 'undecided';

export interface RuleReplayPlan {
  rule: string;
  change: RuleChange;
  /** The candidate condition with base-implied facts folded in ('changed' and 'not-in-base'). */
  condition?: CompiledCondition;
}

export interface ReplayPlan {
  rules: Map<string, RuleReplayPlan>;
}

export interface AlertReplay {
  rule: string;
  change: RuleChange;
  verdict: ReplayVerdict;
  /** Why, for 'changed' and 'not-in-base' rules. */
  explanation?: Explanation;
}

/** Sub-expression truths forced by `expr` having the value `value`, keyed structurally. */
export function impliedFacts(expr: Expr, value: Truth, memo: WeakMap<Expr, string>, facts = new Map<string, Truth>()): Map<string, Truth> {
  if (value === UNKNOWN) return facts;
  facts.set(structuralKey(expr, memo), value);
  if (expr.kind === 'and' && value === TRUE) for (const e of expr.operands) impliedFacts(e, TRUE, memo, facts);
  else if (expr.kind === 'or' && value === FALSE) for (const e of expr.operands) impliedFacts(e, FALSE, memo, facts);
  else if (expr.kind === 'not') impliedFacts(expr.operand, value === TRUE ? FALSE : TRUE, memo, facts);
  return facts;
}

/** The base nodes whose truth the alert proves, with that truth (the nodes `impliedFacts` keys). */
function collectFactNodes(expr: Expr, value: Truth, out: { expr: Expr; truth: Truth }[] = []): { expr: Expr; truth: Truth }[] {
  if (value === UNKNOWN) return out;
  out.push({ expr, truth: value });
  if (expr.kind === 'and' && value === TRUE) for (const e of expr.operands) collectFactNodes(e, TRUE, out);
  else if (expr.kind === 'or' && value === FALSE) for (const e of expr.operands) collectFactNodes(e, FALSE, out);
  else if (expr.kind === 'not') collectFactNodes(expr.operand, value === TRUE ? FALSE : TRUE, out);
  return out;
}

export function planReplay(base: readonly CompiledRule[], candidate: readonly CompiledRule[], fieldTypes: SourceFieldTypes): ReplayPlan {
  const memo = new WeakMap<Expr, string>();
  const baseByName = new Map(base.map((r) => [r.name, r]));
  const rules = new Map<string, RuleReplayPlan>();
  for (const rule of candidate) {
    const before = baseByName.get(rule.name);
    if (!rule.enabled) {
      rules.set(rule.name, { rule: rule.name, change: 'disabled' });
      continue;
    }
    if (!before) {
      rules.set(rule.name, { rule: rule.name, change: 'not-in-base', condition: compileCondition(rule.ast, fieldTypes(rule.source)) });
      continue;
    }
    if (before.source === rule.source && structuralKey(before.ast, memo) === structuralKey(rule.ast, memo)) {
      rules.set(rule.name, { rule: rule.name, change: 'unchanged' });
      continue;
    }
    const facts = impliedFacts(before.ast, TRUE, memo);
    const factNodes = collectFactNodes(before.ast, TRUE);
    const known = (e: Expr): Truth | undefined => {
      const direct = facts.get(structuralKey(e, memo));
      if (direct !== undefined) return direct;
      // What a held base node implies holds; what implies a failed base node fails.
      for (const f of factNodes) {
        if (f.truth === TRUE && implies(f.expr, e, memo)) return TRUE;
        if (f.truth === FALSE && implies(e, f.expr, memo)) return FALSE;
      }
      return undefined;
    };
    const condition = compileCondition(rule.ast, fieldTypes(rule.source), known);
    rules.set(rule.name, { rule: rule.name, change: 'changed', condition });
  }
  for (const rule of base) {
    if (!rules.has(rule.name)) rules.set(rule.name, { rule: rule.name, change: 'removed' });
  }
  return { rules };
}

/** What the candidate does with one recorded alert; undefined when neither ruleset has its rule. */
export function replayAlert(plan: ReplayPlan, alert: FalcoAlert, explain: boolean): AlertReplay | undefined {
  const p = plan.rules.get(alert.rule);
  if (!p) return undefined;
  switch (p.change) {
    case 'unchanged':
      return { rule: p.rule, change: p.change, verdict: 'fires' };
    case 'disabled':
    case 'removed':
      return { rule: p.rule, change: p.change, verdict: 'suppressed' };
    case 'changed':
    case 'not-in-base': {
      const condition = p.condition as CompiledCondition;
      const t = condition.evaluate(alert.fields);
      const verdict: ReplayVerdict = t === TRUE ? 'fires' : t === FALSE ? 'suppressed' : 'undecided';
      return explain
        ? { rule: p.rule, change: p.change, verdict, explanation: explainCondition(condition, alert.fields) }
        : { rule: p.rule, change: p.change, verdict };
    }
  }
}
