/**
 * Merge states after each prefix of a file sequence, shared by the merges of one invocation: fifty
 * environments layered over the same upstream files merge those files once, then only their own.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { CollectorState } from './collector.js';
import type { FieldCheck } from './merge-exceptions.js';
import type { VersionState } from './merge-rules-files.js';
import type { RulesFile } from './model.js';

/** Everything a merge carries from one file to the next. */
export interface MergeState {
  collector: CollectorState;
  versions: VersionState;
  diagnostics: Diagnostic[];
  stopped: boolean;
}

/** A place in the trie of file sequences: the files merged so far and, if kept, the state after them. */
export class MergePosition {
  private readonly children = new Map<RulesFile, MergePosition>();
  state: MergeState | undefined;

  constructor(readonly length: number) {}

  next(file: RulesFile): MergePosition {
    let child = this.children.get(file);
    if (!child) this.children.set(file, (child = new MergePosition(this.length + 1)));
    return child;
  }

  keep(state: MergeState): void {
    this.state ??= state;
  }

  lookup(file: RulesFile): MergePosition | undefined {
    return this.children.get(file);
  }
}

export class MergeCache {
  // one trie per engine version and field check: the merge depends on both
  private readonly roots = new Map<string, Map<FieldCheck | undefined, MergePosition>>();

  /** The longest kept prefix of `files` (by identity), and the state after it, if any. */
  start(files: readonly RulesFile[], engineVersion: string, isKnownField: FieldCheck | undefined): { state: MergeState | undefined; position: MergePosition } {
    let byCheck = this.roots.get(engineVersion);
    if (!byCheck) this.roots.set(engineVersion, (byCheck = new Map<FieldCheck | undefined, MergePosition>()));
    let root = byCheck.get(isKnownField);
    if (!root) byCheck.set(isKnownField, (root = new MergePosition(0)));
    let best = root;
    let position: MergePosition | undefined = root;
    for (const file of files) {
      position = position.lookup(file);
      if (!position) break;
      if (position.state) best = position;
    }
    return { state: best.state, position: best };
  }
}

export function createMergeCache(): MergeCache {
  return new MergeCache();
}
