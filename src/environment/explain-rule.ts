import type { Expr } from '../condition/ast.js';
import { parseCondition } from '../condition/index.js';
import { closestName } from '../config/index.js';
import type { Change, CompiledRule, CompiledRuleset, ExceptionDef, ExceptionValue } from '../rules/index.js';

export interface UsedMacro {
  name: string;
  condition: string;
  /** The latest define, append or replace: where it was last changed. */
  lastChange: Change;
  history: Change[];
}

export interface UsedList {
  name: string;
  items: string[];
  lastChange: Change;
  history: Change[];
}

/** How the same rule looks in another environment: the fields that differ, or `absent`. */
export interface EnvironmentComparison {
  environment: string;
  /** Empty when the rule is the same there. */
  differs: string[];
}

export interface RuleExplanation extends Pick<CompiledRule, 'source' | 'enabled' | 'priority' | 'description' | 'output' | 'tags'> {
  environment: string;
  rule: string;
  exceptions: ExceptionDef[];
  /** The merged condition text, as Falco keeps it. */
  condition: string;
  /** Macros and lists expanded, exceptions applied: Falco's canonical form. */
  compiledCondition: string;
  eventTypes: string[] | null;
  /** Every change to the rule in load order: which file and line defined, replaced or appended which field. */
  history: Change[];
  macros: UsedMacro[];
  lists: UsedList[];
  environments: EnvironmentComparison[];
}

export interface EnvironmentRuleset {
  environment: string;
  ruleset: CompiledRuleset;
}

/** The effective rule with its provenance, what it uses, and how other environments differ; undefined if the rule is not loaded there. */
export function explainRule(name: string, target: EnvironmentRuleset, others: readonly EnvironmentRuleset[]): RuleExplanation | undefined {
  const rule = target.ruleset.rules.find((r) => r.name === name);
  if (!rule) return undefined;
  const macros = usedMacros(rule, target.ruleset);
  const lists = usedLists(rule, macros, target.ruleset);
  return {
    environment: target.environment,
    rule: rule.name,
    source: rule.source,
    enabled: rule.enabled,
    priority: rule.priority,
    description: rule.description,
    output: rule.output,
    tags: rule.tags,
    exceptions: rule.exceptions,
    condition: rule.condition,
    compiledCondition: rule.compiledCondition,
    eventTypes: rule.eventTypes,
    history: rule.entry.history,
    macros,
    lists,
    environments: others
      .filter((o) => o.environment !== target.environment)
      .map((o) => ({
        environment: o.environment,
        differs: compareRules(
          rule,
          o.ruleset.rules.find((r) => r.name === name),
        ),
      })),
  };
}

/** The fields of a compiled rule that differ from another environment's version of it. */
export function compareRules(rule: CompiledRule, other: CompiledRule | undefined): string[] {
  if (!other) return ['absent'];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const fields: [string, unknown, unknown][] = [
    ['enabled', rule.enabled, other.enabled],
    ['priority', rule.priority, other.priority],
    ['condition', rule.compiledCondition, other.compiledCondition],
    ['event types', rule.eventTypes, other.eventTypes],
    ['output', rule.output, other.output],
    ['description', rule.description, other.description],
    ['tags', rule.tags, other.tags],
    ['source', rule.source, other.source],
  ];
  return fields.filter(([, a, b]) => !same(a, b)).map(([field]) => field);
}

/** Macros the rule reaches, in the order its condition first names them (depth first). */
function usedMacros(rule: CompiledRule, ruleset: CompiledRuleset): UsedMacro[] {
  const byName = new Map(ruleset.macros.map((m) => [m.name, m]));
  const seen = new Set<string>();
  const out: UsedMacro[] = [];
  const visit = (expr: Expr | undefined) => {
    for (const ref of macroRefs(expr)) {
      const macro = byName.get(ref);
      if (!macro || seen.has(ref)) continue;
      seen.add(ref);
      out.push({ name: macro.name, condition: macro.condition, lastChange: lastChange(macro.entry.history), history: macro.entry.history });
      visit(macro.ast);
    }
  };
  const parsed = parseCondition(rule.condition);
  if (parsed.ok) visit(parsed.expr);
  return out;
}

/** Lists named in the rule's condition, its exception values or the macros it uses, then lists those lists include. */
function usedLists(rule: CompiledRule, macros: UsedMacro[], ruleset: CompiledRuleset): UsedList[] {
  const texts = [rule.condition, ...rule.exceptions.flatMap((e) => flattenValues(e.values ?? [])), ...macros.map((m) => m.condition)];
  const named = new Set<string>();
  for (const list of ruleset.lists) if (texts.some((t) => mentionsList(t, list.name))) named.add(list.name);
  const byName = new Map(ruleset.lists.map((l) => [l.name, l]));
  for (const name of [...named]) {
    const list = byName.get(name)!;
    for (const item of list.entry.items) {
      const inner = byName.get(item);
      if (inner && inner.entry.index < list.entry.visibility) named.add(item);
    }
  }
  return ruleset.lists
    .filter((l) => named.has(l.name))
    .map((l) => ({ name: l.name, items: l.items, lastChange: lastChange(l.entry.history), history: l.entry.history }));
}

function flattenValues(values: ExceptionValue[]): string[] {
  return values.flatMap((v) => (Array.isArray(v) ? flattenValues(v) : [v]));
}

const LIST_DELIMITERS = ' \t\n\r(),=';

/** Whether Falco's textual list substitution (semantics §3.2) would replace `name` somewhere in `text`. */
function mentionsList(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + name.length] ?? '';
    if ((before === '' || LIST_DELIMITERS.includes(before)) && (after === '' || LIST_DELIMITERS.includes(after))) return true;
  }
  return false;
}

function macroRefs(expr: Expr | undefined): string[] {
  if (!expr) return [];
  switch (expr.kind) {
    case 'macro-ref':
      return [expr.name];
    case 'and':
    case 'or':
      return expr.operands.flatMap(macroRefs);
    case 'not':
      return macroRefs(expr.operand);
    case 'unary-check':
    case 'binary-check':
      return [];
  }
}

function lastChange(history: Change[]): Change {
  const changes = history.filter((c) => c.action !== 'enable');
  return changes[changes.length - 1] ?? history[history.length - 1];
}

/** The loaded rule whose name is closest to `name`, for a "did you mean" hint. */
export function closestRuleName(name: string, ruleset: CompiledRuleset): string | undefined {
  return closestName(
    name,
    ruleset.rules.map((r) => r.name),
  );
}
