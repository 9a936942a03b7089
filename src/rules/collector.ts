/** The collector's state while files are merged: the three name tables, the global seq and the first error. */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { ItemBase, ListEntry, MacroEntry, RuleEntry, TextSegment } from './model.js';
import type { FieldCheck } from './merge-exceptions.js';

/** The name tables and seq at one point of a merge (entries are never modified, so tables can share them). */
export interface CollectorState {
  lists: ReadonlyMap<string, ListEntry>;
  macros: ReadonlyMap<string, MacroEntry>;
  rules: ReadonlyMap<string, RuleEntry>;
  seq: number;
}

export class Collector {
  readonly lists: Map<string, ListEntry>;
  readonly macros: Map<string, MacroEntry>;
  readonly rules: Map<string, RuleEntry>;
  readonly diagnostics: Diagnostic[] = [];
  private seq: number;

  constructor(
    readonly isKnownField: FieldCheck | undefined,
    from?: CollectorState,
  ) {
    this.lists = new Map(from?.lists);
    this.macros = new Map(from?.macros);
    this.rules = new Map(from?.rules);
    this.seq = from?.seq ?? 0;
  }

  /** A copy of the tables and seq, to resume from later. */
  state(): CollectorState {
    return { lists: new Map(this.lists), macros: new Map(this.macros), rules: new Map(this.rules), seq: this.seq };
  }

  /** Every define, append and selective replace takes the next number (§2.1). */
  nextSeq(): number {
    return this.seq++;
  }

  /** Records a collector error (LOAD_ERR_VALIDATE); returns false so callers can stop. */
  fail(itemType: string, itemName: string, message: string, location: Loc, hint?: string): false {
    this.diagnostics.push({ code: 'LOAD_ERR_VALIDATE', severity: 'error', itemType, itemName, message, location, ...(hint === undefined ? {} : { hint }) });
    return false;
  }
}

/** The segment an item's condition contributes at `offset` of the merged text. */
export function conditionSegment(item: ItemBase, offset: number): TextSegment {
  const segment: TextSegment = { offset, loc: item.valueLocs.condition ?? item.loc };
  const column = item.valueTextColumns?.condition;
  if (column !== undefined) segment.textColumn = column;
  return segment;
}
