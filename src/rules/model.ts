/**
 * The rules data model shared by every stage: what the reader decodes from a rules file, what the
 * collector (merge) keeps per name, and what the compiler produces.
 */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';

/** A rules file as read from disk or from a git revision. `path` is how diagnostics name it. */
export interface SourceFile {
  path: string;
  text: string;
}

export type OverrideOp = 'append' | 'replace';

/** Keys a rule `override:` map may name (Falco's schema `Override`). */
export type RuleOverridableKey =
  | 'condition'
  | 'output'
  | 'desc'
  | 'priority'
  | 'tags'
  | 'exceptions'
  | 'enabled'
  | 'capture'
  | 'capture_duration'
  | 'warn_evttypes'
  | 'skip-if-unknown-filter';

/** Falco priorities, most severe first; the numeric value is the index. */
export const PRIORITIES = [
  'Emergency',
  'Alert',
  'Critical',
  'Error',
  'Warning',
  'Notice',
  'Informational',
  'Debug',
] as const;
export type Priority = (typeof PRIORITIES)[number];

/** One entry of `exceptions:` as written (values keep their nesting; scalars are raw text). */
export interface ExceptionDef {
  name: string;
  /** A single field (scalar form) or a list of fields (list form); absent only in append mode. */
  fields?: string | string[];
  comps?: string | string[];
  values?: ExceptionValue[];
  loc: Loc;
  /** Where each field is written (one for the scalar form), for errors about a field. */
  fieldLocs?: Loc[];
  /** Keys of the entry Falco's reader ignores (its rules schema flags them), where each is written. */
  ignoredKeys?: { key: string; loc: Loc }[];
}
export type ExceptionValue = string | ExceptionValue[];

export interface PluginRequirement {
  name: string;
  version: string;
  alternatives: { name: string; version: string }[];
}

/** Common to every decoded item: where it is, where each of its keys is, and the comment above it. */
export interface ItemBase {
  loc: Loc;
  /** Location of each top-level key as written (key -> position of the key). */
  keyLocs: Record<string, Loc>;
  /** Location of each top-level value (key -> position of the value node). */
  valueLocs: Record<string, Loc>;
  /** `condition` only: the column of the value's first character when its text maps 1:1 onto its source line. */
  valueTextColumns?: Record<string, number>;
  /** The YAML comment lines directly above the item, without `#`. */
  commentBefore?: string;
}

export interface ListItem extends ItemBase {
  kind: 'list';
  name: string;
  items: string[];
  itemLocs: Loc[];
  /** Legacy `append: true`. */
  append: boolean;
  override?: { items: OverrideOp };
}

export interface MacroItem extends ItemBase {
  kind: 'macro';
  name: string;
  condition: string;
  append: boolean;
  override?: { condition: OverrideOp };
}

/** The rule fields an item carries; which ones are present depends on its shape. */
export interface RuleFields {
  condition: string;
  output: string;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  tags: string[];
  exceptions: ExceptionDef[];
  capture: boolean;
  capture_duration: number;
  warn_evttypes: boolean;
  'skip-if-unknown-filter': boolean;
}

export interface RuleItem extends ItemBase {
  kind: 'rule';
  name: string;
  /** Which of Falco's four shapes this item has (§1.7). */
  shape: 'define' | 'append' | 'override' | 'enabled-only';
  fields: Partial<RuleFields>;
  override?: Partial<Record<RuleOverridableKey, OverrideOp>>;
}

export interface EngineVersionItem extends ItemBase {
  kind: 'required_engine_version';
  /** Normalised semver, e.g. "0.26.0" for the numeric form 26. */
  version: string;
  /** As written. */
  raw: string;
}

export interface PluginVersionsItem extends ItemBase {
  kind: 'required_plugin_versions';
  plugins: PluginRequirement[];
  /** Keys of an entry or of an alternative that Falco's reader ignores (its rules schema flags them), where each is written. */
  ignoredKeys?: { plugin: string; alternative?: string; key: string; loc: Loc }[];
}

export type RulesItem = ListItem | MacroItem | RuleItem | EngineVersionItem | PluginVersionsItem;

/** A parsed rules file: its items in order, and the reader's diagnostics (the first error stops reading). */
export interface RulesFile {
  path: string;
  sha256: string;
  items: RulesItem[];
  diagnostics: Diagnostic[];
}

/** One change to a merged entry, in load order: the provenance `explain` shows. */
export interface Change {
  /** The key it touched, or '*' for a whole definition. */
  field: string;
  action: 'define' | 'redefine' | 'append' | 'replace' | 'enable';
  loc: Loc;
}

/** Where a stretch of a merged condition text came from (a condition can be joined from several files). */
export interface TextSegment {
  /** Offset in the merged text where this piece starts. */
  offset: number;
  /** The location of the YAML scalar that contributed it. */
  loc: Loc;
  /**
   * Present only when the text maps 1:1 onto source columns (a plain, or single-quoted without `''`,
   * scalar on one line): the column of its first character on `loc.line`.
   */
  textColumn?: number;
}

interface EntryBase {
  name: string;
  /** seq of the first definition: its position, never changes (§2.1). */
  index: number;
  /** seq of the latest define/append/replace. */
  visibility: number;
  /** Where it was first defined. */
  loc: Loc;
  history: Change[];
}

export interface ListEntry extends EntryBase {
  items: string[];
}

export interface MacroEntry extends EntryBase {
  condition: string;
  conditionSegments: TextSegment[];
}

export interface RuleEntry extends EntryBase, RuleFields {
  conditionSegments: TextSegment[];
}

/** The collector's state after merging files in order (Falco's rule_loader collector). */
export interface MergedRuleset {
  lists: Map<string, ListEntry>;
  macros: Map<string, MacroEntry>;
  rules: Map<string, RuleEntry>;
  /** Highest `required_engine_version` seen (semver), or null. */
  requiredEngineVersion: string | null;
  requiredPluginVersions: PluginRequirement[];
  /** Where each required plugin version was declared. */
  requiredPluginVersionLocs: Loc[];
  diagnostics: Diagnostic[];
}

export interface CompiledList {
  name: string;
  /** Items after list-in-list expansion. */
  items: string[];
  used: boolean;
  entry: ListEntry;
}

export interface CompiledMacro {
  name: string;
  condition: string;
  used: boolean;
  /** The macro's condition, lists substituted and nested macros expanded (shared with the rules that use it); absent if it failed to parse. */
  ast?: Expr;
  /** Canonical form with nested macros expanded; absent if it did not resolve. */
  compiledCondition?: string;
  entry: MacroEntry;
}

export interface CompiledRule {
  name: string;
  source: string;
  enabled: boolean;
  priority: Priority;
  description: string;
  output: string;
  tags: string[];
  /** The condition text after all overrides and appends (Falco's `info.condition`). */
  condition: string;
  /** Macros and lists expanded, exceptions applied, Falco's canonical printed form. */
  compiledCondition: string;
  /** The expanded AST the compiled condition prints from. */
  ast: Expr;
  /** Event type names the rule can match, sorted; null when it matches every event type (syscall source only). */
  eventTypes: string[] | null;
  exceptions: ExceptionDef[];
  capture: boolean;
  captureDuration: number;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  entry: RuleEntry;
}

/** What loading a set of files produces: Falco's effective ruleset, and every diagnostic. */
export interface CompiledRuleset {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** Rules in evaluation order (first-definition order); rules of unknown sources are left out. */
  rules: CompiledRule[];
  macros: CompiledMacro[];
  lists: CompiledList[];
  requiredEngineVersion: string | null;
  requiredPluginVersions: PluginRequirement[];
  merged: MergedRuleset;
}
