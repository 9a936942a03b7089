/** Reading an item's `override:` map (Falco's decode_overrides, docs/falco-rules-semantics.md §2.2–§2.3). */
import type { Loc } from '../diagnostics/index.js';
import type { OverrideOp } from './model.js';
import type { ItemReader} from './yaml-item.js';
import { FAILED, kindOf, type Failed } from './yaml-item.js';

export interface OverrideEntry {
  key: string;
  op: OverrideOp;
  keyLoc: Loc;
}

/** Every entry in order; a missing, null, scalar or sequence `override` has none. */
export function readOverrides(item: ItemReader, appendable: ReadonlySet<string>, replaceable: ReadonlySet<string>): OverrideEntry[] | Failed {
  const node = item.value('override');
  if (node === FAILED) return FAILED;
  if (!node || node.kind !== 'map') return [];
  const out: OverrideEntry[] = [];
  for (const pair of node.pairs) {
    const keyNode = pair.key;
    const keyLoc = item.file.locOf(keyNode, item.keyLoc('override'));
    if (!keyNode || keyNode.kind !== 'scalar') return item.fail('bad conversion', { type: 'overrides', name: '', loc: keyLoc }, 'LOAD_ERR_VALIDATE');
    const key = keyNode.text;
    const valueNode = item.file.deref(pair.value, keyLoc);
    if (valueNode === FAILED) return FAILED;
    const valueLoc = item.file.locOf(pair.value, keyLoc);
    let op: string;
    if (kindOf(valueNode) === 'null') op = 'null';
    else if (valueNode && valueNode.kind === 'scalar') op = valueNode.text;
    else return item.fail('bad conversion', { type: 'value for', name: key, loc: valueLoc }, 'LOAD_ERR_VALIDATE');

    const keyCtx = { type: 'overrides', name: key, loc: keyLoc };
    if (op === 'append') {
      if (!appendable.has(key)) return item.fail(`Key '${key}' cannot be appended to, use 'replace' instead`, keyCtx);
      out.push({ key, op, keyLoc });
    } else if (op === 'replace') {
      if (!replaceable.has(key)) return item.fail(`Key '${key}' cannot be replaced`, keyCtx);
      out.push({ key, op, keyLoc });
    } else {
      const allowed = (appendable.has(key) ? 'append ' : '') + (replaceable.has(key) ? 'replace ' : '');
      return item.fail(`Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`, { type: 'value for', name: key, loc: valueLoc });
    }
  }
  return out;
}
