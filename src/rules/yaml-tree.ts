/**
 * The YAML node tree the rules decoders read: scalars as raw text, sequences, maps as ordered pairs,
 * and (composed path only) aliases. Built either from the `yaml` CST (yaml-cst-tree.ts, the common path)
 * or from composed Documents (yaml-document-tree.ts, for anchors, tags, directives and errors).
 */
import { isNullSpelling } from './yaml-scalars.js';

/** Offset of a node in the text; NO_OFFSET when the node has no source range. */
export const NO_OFFSET = -1;

export interface YScalar {
  readonly kind: 'scalar';
  /** The scalar's value as `yaml` resolves it with the failsafe schema (quotes, escapes, folding applied). */
  readonly text: string;
  /** A plain, untagged null spelling (empty, `~`, `null`, `Null`, `NULL`): yaml-cpp's null. */
  readonly isNull: boolean;
  readonly offset: number;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly (YNode | null)[];
  readonly offset: number;
}

export interface YPair {
  readonly key: YNode | null;
  readonly value: YNode | null;
}

export interface YMap {
  readonly kind: 'map';
  readonly pairs: readonly YPair[];
  readonly offset: number;
}

export interface YAlias {
  readonly kind: 'alias';
  readonly offset: number;
  /** The anchored node this alias names, or undefined when there is none. */
  readonly resolve: () => YNode | undefined;
}

export type YNode = YScalar | YSeq | YMap | YAlias;

/** One YAML document of a stream: where it starts and its root node (null for an empty document). */
export interface YDocument {
  readonly offset: number;
  readonly contents: YNode | null;
}

export function scalarNode(text: string, plain: boolean, offset: number): YScalar {
  return { kind: 'scalar', text, isNull: plain && isNullSpelling(text), offset };
}
