/** Lists compiled as Falco does (docs/falco-rules-semantics.md §3.1): one level of list-in-list, by visibility. */
import type { CompiledList, MergedRuleset } from './model.js';

export function compileLists(merged: MergedRuleset): CompiledList[] {
  const out: CompiledList[] = [];
  const referenced = new Set<string>();
  for (const entry of merged.lists.values()) {
    const items: string[] = [];
    for (const item of entry.items) {
      const ref = merged.lists.get(item);
      if (ref && ref.index < entry.visibility) {
        referenced.add(ref.name);
        items.push(...ref.items);
      } else {
        items.push(item);
      }
    }
    out.push({ name: entry.name, items, used: false, entry });
  }
  for (const list of out) if (referenced.has(list.name)) list.used = true;
  return out;
}
