import { parseCondition } from '../../../src/condition/index.js';
import type { Expr } from '../../../src/condition/index.js';
import type { CompiledRule, RuleEntry } from '../../../src/rules/model.js';

/** Parses a condition written without macros or lists (already expanded). */
export function expr(text: string): Expr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`bad condition in test: ${text}: ${r.error.message}`);
  return r.expr;
}

/** A compiled rule from an expanded condition, for evaluator tests that do not need the loader. */
export function rule(name: string, condition: string, opts: { enabled?: boolean; eventTypes?: string[] | null; source?: string } = {}): CompiledRule {
  return {
    name,
    source: opts.source ?? 'syscall',
    enabled: opts.enabled ?? true,
    priority: 'Warning',
    description: name,
    output: name,
    tags: [],
    condition,
    compiledCondition: condition,
    ast: expr(condition),
    eventTypes: opts.eventTypes === undefined ? null : opts.eventTypes,
    exceptions: [],
    capture: false,
    captureDuration: 0,
    warnEvttypes: true,
    skipIfUnknownFilter: false,
    entry: {} as RuleEntry,
  };
}
