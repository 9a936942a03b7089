/**
 * The check framework (ESLint's model): a check is a plain object with an id, a default severity,
 * its documentation text, messages by id and a typed visitor.
 */
import type { Loc } from '../../diagnostics/index.js';
import type { Expr } from '../../condition/ast.js';
import type { FindingSeverity } from '../../report/index.js';
import type { CompiledList, CompiledMacro, CompiledRule, CompiledRuleset, RulesFile, RulesItem } from '../../rules/index.js';
import type { LintPolicy } from './lint-policy.js';

/** The `{name}` placeholders of a message template, as a union of names. */
export type Placeholders<S extends string> = S extends `${string}{${infer K}}${infer Rest}` ? K | Placeholders<Rest> : never;
export type MessageData<S extends string> = Record<Placeholders<S>, string | number>;

export interface ReportOptions {
  hint?: string;
  related?: { message: string; location: Loc }[];
}

/** The item a finding is about: what suppression comments and the report name. */
export interface ItemRef {
  itemType: 'rule' | 'macro' | 'list' | 'required_plugin_versions';
  itemName: string;
}

/** A condition owned by one item: its own nodes, not those it borrows from macros. */
export interface OwnCondition {
  owner: ItemRef;
  /** The item's tree (for a rule: macros expanded, exceptions applied). */
  ast: Expr;
  /** The nodes written in this item's own text, pre-order; expanded macro bodies are left out. */
  nodes: readonly Expr[];
  /** Where a node's text is, as near as the source allows (the scalar it came from). */
  locate(node: Expr): Loc;
}

/** One environment's loaded rules, as the checks see them. */
export interface LintEnvironment {
  /** The environment's name; absent when linting bare files. */
  name?: string;
  /** Its files in load order, as read. */
  files: readonly RulesFile[];
  compiled: CompiledRuleset;
  /** The repository's lint policy for this environment. */
  policy?: LintPolicy;
  /** The same environment's ruleset at the base ref (for checks about what a change adds). */
  base?: CompiledRuleset;
}

export interface LintContext<M extends Record<string, string>> {
  readonly environment: LintEnvironment;
  /** Every environment in this run (for checks across environments). */
  readonly environments: readonly LintEnvironment[];
  readonly policy: LintPolicy;
  /** The base ref's ruleset for this environment; absent when there is no base. */
  readonly base: CompiledRuleset | undefined;
  isUpstream(file: string): boolean;
  macro(name: string): CompiledMacro | undefined;
  list(name: string): CompiledList | undefined;
  report<K extends keyof M & string>(item: ItemRef, messageId: K, data: MessageData<M[K]>, at: Loc, options?: ReportOptions): void;
}

export interface CheckVisitor<M extends Record<string, string>> {
  rule?: (rule: CompiledRule, ctx: LintContext<M>) => void;
  macro?: (macro: CompiledMacro, ctx: LintContext<M>) => void;
  list?: (list: CompiledList, ctx: LintContext<M>) => void;
  /** Each macro's and each rule's own condition, once (a macro's text is never visited per rule). */
  condition?: (condition: OwnCondition, ctx: LintContext<M>) => void;
  /** Every item of every file, in load order, as written. */
  item?: (item: RulesItem, file: RulesFile, ctx: LintContext<M>) => void;
  /** Once per environment, after the items. */
  ruleset?: (compiled: CompiledRuleset, ctx: LintContext<M>) => void;
  /** Once per run, after every environment, with all of them (findings carry no environment). */
  environments?: (all: readonly LintEnvironment[], ctx: LintContext<M>) => void;
}

export interface Check<M extends Record<string, string> = Record<string, string>> {
  id: string;
  severity: FindingSeverity;
  summary: string;
  /** One paragraph: why this matters. */
  rationale: string;
  /** How to fix it, in one sentence. */
  hint: string;
  messages: M;
  visit: CheckVisitor<M>;
}

/** Declares a check; the messages' keys and `{data}` names are type-checked at every `report`. */
export function defineCheck<const M extends Record<string, string>>(check: Check<M>): Check<M> {
  return check;
}

/** Fills `{name}` placeholders. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
