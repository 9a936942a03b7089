/** The collector's state while files are merged: the three name tables, the global seq and the first error. */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { ListEntry, MacroEntry, RuleEntry } from './model.js';
import type { FieldCheck } from './merge-exceptions.js';

export class Collector {
  readonly lists = new Map<string, ListEntry>();
  readonly macros = new Map<string, MacroEntry>();
  readonly rules = new Map<string, RuleEntry>();
  readonly diagnostics: Diagnostic[] = [];
  private seq = 0;

  constructor(readonly isKnownField: FieldCheck | undefined) {}

  /** Every define, append and selective replace takes the next number (§2.1). */
  nextSeq(): number {
    return this.seq++;
  }

  /** Records a collector error (LOAD_ERR_VALIDATE); returns false so callers can stop. */
  fail(itemType: string, itemName: string, message: string, location: Loc): false {
    this.diagnostics.push({ code: 'LOAD_ERR_VALIDATE', severity: 'error', itemType, itemName, message, location });
    return false;
  }
}
