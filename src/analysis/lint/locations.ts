import type { Loc } from '../../diagnostics/index.js';
import type { ItemBase, MacroEntry, RuleEntry } from '../../rules/index.js';

/** Where an entry's condition text starts (its first scalar), else the entry itself. */
export function conditionLoc(entry: RuleEntry | MacroEntry): Loc {
  return entry.conditionSegments[0]?.loc ?? entry.loc;
}

/** The value of a key on an item as written, else the key, else the item. */
export function valueLoc(item: ItemBase, key: string): Loc {
  return item.valueLocs[key] ?? item.keyLocs[key] ?? item.loc;
}
