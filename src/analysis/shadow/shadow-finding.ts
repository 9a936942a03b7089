/**
 * A shadowed default: an item of ours that replaces (or patches) an upstream item, and what the
 * move from the locked upstream version (base) to a new one (theirs) does to it. With
 * `--format json` these objects are the stable interface of `upstream check` (schemaVersion 1).
 */
import type { Loc } from '../../diagnostics/index.js';

export type ShadowKind = 'changed-underneath' | 'orphaned' | 'inherited' | 'hook-available';
export type ShadowItemType = 'list' | 'macro' | 'rule';
export type ShadowSeverity = 'error' | 'warning' | 'note';

/** One field of a three-way view. Values are the field as each side has it (null: the side does not set it). */
export interface FieldView {
  field: 'items' | 'condition' | 'output' | 'priority' | 'enabled' | 'exceptions' | 'tags' | 'desc';
  base: string | string[] | boolean | null;
  theirs: string | string[] | boolean | null;
  ours: string | string[] | boolean | null;
  /** For sequences (list items, tags, exception names): what upstream added and removed. */
  added?: string[];
  removed?: string[];
}

export interface InheritedRule {
  rule: string;
  /** `new`: the rule did not exist in base; `now-uses`: it existed but did not reach our item. */
  reason: 'new' | 'now-uses';
  theirs: Loc;
}

export interface ShadowFinding {
  /** `<kind>/<itemType>/<name>`: stable across runs and versions. */
  id: string;
  kind: ShadowKind;
  itemType: ShadowItemType;
  itemName: string;
  severity: ShadowSeverity;
  message: string;
  /** How our item patches upstream's: `replace` (a redefinition or replace override), `append`, or `enable` (an enabled-only toggle). */
  relation: 'replace' | 'append' | 'enable';
  ours: Loc;
  base?: Loc;
  theirs?: Loc;
  /** changed-underneath: the fields upstream changed that we replace. */
  fields?: FieldView[];
  /** orphaned: the name upstream's item likely became (same content under a new name). */
  renamedTo?: string;
  /** orphaned: whether Falco refuses to load our files over the new upstream. */
  failsToLoad?: boolean;
  /** inherited: the upstream rules that now reach our replaced item. */
  rules?: InheritedRule[];
  /** hook-available: what upstream now offers instead of a replacement. */
  hook?: { kind: 'macro' | 'exception'; name: string };
  fix: string;
  environment?: string;
}

export const SHADOW_SCHEMA_VERSION = 1;
