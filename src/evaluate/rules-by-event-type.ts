/**
 * A ruleset's rules compiled once and indexed by event source and type, so an event meets only
 * the rules that can match it (Falco's ruleset index: syscall rules on their event types, rules
 * without a type restriction on every event).
 */
import type { CompiledRule } from '../rules/index.js';
import type { FalcoEvent } from './event.js';
import type { FieldTypeResolver } from './field-types.js';
import { compileCondition, compileRowCondition, type CompiledCondition, type RowPredicate } from './compile-condition.js';
import { ALWAYS_FALSE } from './connectives.js';
import type { EventRow } from './operand.js';
import type { FieldValue } from './event.js';
import { createSharedRowNodes, type SharedRowNodes } from './shared-row-nodes.js';
import { TRUE, UNKNOWN } from './truth.js';

export interface EvaluableRule {
  name: string;
  source: string;
  enabled: boolean;
  rule: CompiledRule;
  /** Over event records: explanations and one-off checks. */
  condition: CompiledCondition;
  /** The same condition over event rows, on its own. */
  row: RowPredicate;
  /**
   * The same predicate inside an event already begun with `beginEvent` on the index's shared
   * nodes (evaluateRows): truth values of shared subtrees are reused across the event's rules.
   */
  rowInEvent: RowPredicate;
}

/** Every field key the index's conditions read, each given a slot in an event row. */
export interface FieldLayout {
  slots: Map<string, number>;
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
  layout: FieldLayout;
  /** Reused by evaluateEvent to lay a record out as a row; always left empty between calls. */
  scratch: (FieldValue | undefined)[];
  /** Reused by evaluateEvent: the slots of `scratch` it filled; always left empty between calls. */
  scratchSlots: number[];
  /** Subtrees shared between the index's rules, compiled once and evaluated once per event. */
  shared: SharedRowNodes;
  /** source -> the same lists for the hot path, with each rule's predicate folded for the list's event type. */
  rowPlans: Map<string, RowPlan>;
}

/** A rule as evaluateRows meets it: its row predicate, folded for the event type of its list. */
export interface RowEntry {
  rule: EvaluableRule;
  test: RowPredicate;
}

/** bySourceAndType, untypedBySource and bySource of one source, as row entries (rules that fold to false are left out). */
export interface RowPlan {
  byType: Map<string, RowEntry[]>;
  untyped: RowEntry[];
  all: RowEntry[];
}

/** Field types per rule source. */
export type SourceFieldTypes = (source: string) => FieldTypeResolver;

export const DEFAULT_SOURCE = 'syscall';

export function buildRuleIndex(rules: readonly CompiledRule[], fieldTypes: SourceFieldTypes): RuleIndex {
  const byName = new Map<string, EvaluableRule>();
  const bySource = new Map<string, EvaluableRule[]>();
  const typed = new Map<string, { rule: EvaluableRule; types: string[] | null }[]>();
  const slots = new Map<string, number>([['evt.type', 0]]);
  const slotOf = (key: string): number => {
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(key, slot);
    }
    return slot;
  };
  const shared = createSharedRowNodes(rules.map((r) => r.ast));
  const resolvers = new Map<string, FieldTypeResolver>();
  for (const rule of rules) {
    let resolve = resolvers.get(rule.source);
    if (resolve === undefined) {
      resolve = fieldTypes(rule.source);
      resolvers.set(rule.source, resolve);
    }
    const rowInEvent = compileRowCondition(rule.ast, resolve, slotOf, shared.cacheFor(rule.source));
    const evaluable: EvaluableRule = {
      name: rule.name,
      source: rule.source,
      enabled: rule.enabled,
      rule,
      condition: compileCondition(rule.ast, resolve),
      row: (row) => {
        shared.beginEvent();
        return rowInEvent(row);
      },
      rowInEvent,
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
  const rowPlans = new Map<string, RowPlan>();
  const generic = (rules: readonly EvaluableRule[]): RowEntry[] => rules.map((rule) => ({ rule, test: rule.rowInEvent }));
  for (const [source, list] of typed) {
    const untyped = list.filter((r) => r.types === null).map((r) => r.rule);
    untypedBySource.set(source, untyped);
    const names = new Set(list.flatMap((r) => r.types ?? []));
    const byType = new Map<string, EvaluableRule[]>();
    const rowsByType = new Map<string, RowEntry[]>();
    const resolve = resolvers.get(source) as FieldTypeResolver;
    for (const name of names) {
      const candidates = list.filter((r) => r.types === null || r.types.includes(name)).map((r) => r.rule);
      byType.set(name, candidates);
      const cache = shared.cacheFor(source, name);
      const entries = candidates.map((rule) => ({ rule, test: compileRowCondition(rule.rule.ast, resolve, slotOf, cache) }));
      rowsByType.set(
        name,
        entries.filter((e) => e.test !== ALWAYS_FALSE),
      );
    }
    bySourceAndType.set(source, byType);
    rowPlans.set(source, { byType: rowsByType, untyped: generic(untyped), all: generic(bySource.get(source) ?? []) });
  }
  return { byName, bySourceAndType, bySource, untypedBySource, layout: { slots }, scratch: [], scratchSlots: [], shared, rowPlans };
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
  fired: readonly EvaluableRule[];
  /** Rules whose outcome depends on fields the event does not carry. */
  undecided: readonly EvaluableRule[];
}

export function evaluateEvent(index: RuleIndex, ev: FalcoEvent, source: string = DEFAULT_SOURCE): EventVerdicts {
  const { slots } = index.layout;
  const row = index.scratch;
  const touched = index.scratchSlots;
  for (const key in ev) {
    const slot = slots.get(key);
    if (slot !== undefined) {
      row[slot] = ev[key];
      touched.push(slot);
    }
  }
  try {
    return evaluateRows(index, rowEntries(index, ev['evt.type'], source), row);
  } finally {
    for (let i = 0; i < touched.length; i++) row[touched[i]] = undefined;
    touched.length = 0;
  }
}

/** Lays an event out as a row for `evaluatePreparedEvent` (fields no condition reads are dropped). */
export function prepareEvent(index: RuleIndex, ev: FalcoEvent): EventRow {
  const row: (FieldValue | undefined)[] = new Array<FieldValue | undefined>(index.layout.slots.size).fill(undefined);
  for (const key in ev) {
    const slot = index.layout.slots.get(key);
    if (slot !== undefined) row[slot] = ev[key];
  }
  return row;
}

/** evaluateEvent over a prepared row: the fastest path (no per-event layout work). */
export function evaluatePreparedEvent(index: RuleIndex, row: EventRow, source: string = DEFAULT_SOURCE): EventVerdicts {
  return evaluateRows(index, rowEntries(index, row[0], source), row);
}

const NO_ENTRIES: readonly RowEntry[] = Object.freeze([]);

/** The row entries for an event of `type` (candidateRules' choice, as folded predicates). */
function rowEntries(index: RuleIndex, type: FieldValue | undefined, source: string): readonly RowEntry[] {
  const plan = index.rowPlans.get(source);
  if (plan === undefined) return NO_ENTRIES;
  return typeof type === 'string' ? (plan.byType.get(type) ?? plan.untyped) : plan.all;
}

const NONE: readonly EvaluableRule[] = Object.freeze([]);
const NO_VERDICTS: EventVerdicts = Object.freeze({ fired: NONE, undecided: NONE });

/** Most events fire nothing: they get one frozen answer, and lists are made only when needed. */
function evaluateRows(index: RuleIndex, entries: readonly RowEntry[], row: EventRow): EventVerdicts {
  index.shared.beginEvent();
  let fired: EvaluableRule[] | undefined;
  let undecided: EvaluableRule[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const t = e.test(row);
    if (t === TRUE) (fired ??= []).push(e.rule);
    else if (t === UNKNOWN) (undecided ??= []).push(e.rule);
  }
  if (fired === undefined && undecided === undefined) return NO_VERDICTS;
  return { fired: fired ?? NONE, undecided: undecided ?? NONE };
}
