/**
 * A ruleset's rules compiled once and indexed by event source and type, so an event meets only
 * the rules that can match it (Falco's ruleset index: syscall rules on their event types, rules
 * without a type restriction on every event).
 */
import type { CompiledRule } from '../rules/index.js';
import type { FalcoEvent } from './event.js';
import type { FieldTypeResolver } from './field-types.js';
import { compileCondition, type CompiledCondition } from './compile-condition.js';
import { TRUE, UNKNOWN, type Truth } from './truth.js';

export interface EvaluableRule {
  name: string;
  source: string;
  enabled: boolean;
  rule: CompiledRule;
  condition: CompiledCondition;
}

export interface RuleIndex {
  /** Every rule by name, enabled or not. */
  byName: Map<string, EvaluableRule>;
  /** source -> event type -> enabled rules to try, in ruleset order. */
  bySourceAndType: Map<string, Map<string, EvaluableRule[]>>;
  /** source -> every enabled rule of that source, in order (events without an `evt.type`). */
  bySource: Map<string, EvaluableRule[]>;
  /** source -> enabled rules without an event-type restriction (events of a type no rule names). */
  untypedBySource: Map<string, EvaluableRule[]>;
}

/** Field types per rule source. */
export type SourceFieldTypes = (source: string) => FieldTypeResolver;

export const DEFAULT_SOURCE = 'syscall';

export function buildRuleIndex(rules: readonly CompiledRule[], fieldTypes: SourceFieldTypes): RuleIndex {
  const byName = new Map<string, EvaluableRule>();
  const bySource = new Map<string, EvaluableRule[]>();
  const typed = new Map<string, { rule: EvaluableRule; types: string[] | null }[]>();
  for (const rule of rules) {
    const evaluable: EvaluableRule = {
      name: rule.name,
      source: rule.source,
      enabled: rule.enabled,
      rule,
      condition: compileCondition(rule.ast, fieldTypes(rule.source)),
    };
    byName.set(rule.name, evaluable);
    if (!rule.enabled) continue;
    push(bySource, rule.source, evaluable);
    const list = typed.get(rule.source) ?? [];
    list.push({ rule: evaluable, types: rule.source === DEFAULT_SOURCE ? rule.eventTypes : null });
    typed.set(rule.source, list);
  }
  const bySourceAndType = new Map<string, Map<string, EvaluableRule[]>>();
  const untypedBySource = new Map<string, EvaluableRule[]>();
  for (const [source, list] of typed) {
    untypedBySource.set(source, list.filter((r) => r.types === null).map((r) => r.rule));
    const names = new Set(list.flatMap((r) => r.types ?? []));
    const byType = new Map<string, EvaluableRule[]>();
    for (const name of names) {
      byType.set(name, list.filter((r) => r.types === null || r.types.includes(name)).map((r) => r.rule));
    }
    bySourceAndType.set(source, byType);
  }
  return { byName, bySourceAndType, bySource, untypedBySource };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The enabled rules an event of `source` can match. */
export function candidateRules(index: RuleIndex, ev: FalcoEvent, source: string = DEFAULT_SOURCE): readonly EvaluableRule[] {
  const all = index.bySource.get(source) ?? [];
  const type = ev['evt.type'];
  if (typeof type !== 'string') return all;
  const byType = index.bySourceAndType.get(source);
  const hit = byType?.get(type);
  return hit ?? index.untypedBySource.get(source) ?? all;
}

export interface EventVerdicts {
  /** Rules whose condition is true, in ruleset order. */
  fired: EvaluableRule[];
  /** Rules whose outcome depends on fields the event does not carry. */
  undecided: EvaluableRule[];
}

export function evaluateEvent(index: RuleIndex, ev: FalcoEvent, source: string = DEFAULT_SOURCE): EventVerdicts {
  const fired: EvaluableRule[] = [];
  const undecided: EvaluableRule[] = [];
  for (const r of candidateRules(index, ev, source)) {
    const t = r.condition.evaluate(ev);
    if (t === TRUE) fired.push(r);
    else if (t === UNKNOWN) undecided.push(r);
  }
  return { fired, undecided };
}

/** One rule's outcome for an event: disabled rules never fire; rules for other types are false. */
export function evaluateRule(index: RuleIndex, name: string, ev: FalcoEvent, source: string = DEFAULT_SOURCE): Truth | undefined {
  const r = index.byName.get(name);
  if (!r) return undefined;
  if (!r.enabled || r.source !== source) return 0;
  if (!candidateRules(index, ev, source).includes(r)) return 0;
  return r.condition.evaluate(ev);
}
