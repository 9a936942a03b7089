/** Reading a rule's `exceptions:` (Falco's read_rule_exceptions, docs/falco-rules-semantics.md §2.6). */
import type { Loc } from '../diagnostics/index.js';
import type { ExceptionDef, ExceptionValue } from './model.js';
import { FAILED, ItemReader, kindOf, type Context, type Failed } from './yaml-item.js';
import type { YNode } from './yaml-tree.js';

/** The keys of an exception entry Falco reads; any other it ignores. */
export const EXCEPTION_KEYS: readonly string[] = ['name', 'fields', 'comps', 'values'];

/**
 * The exceptions of an item: undefined when the key is absent, [] for `exceptions:` (null). In append
 * mode `fields` is optional and an entry without `values` draws LOAD_APPEND_NO_VALUES.
 */
export function readExceptions(item: ItemReader, append: boolean): ExceptionDef[] | undefined | Failed {
  const file = item.file;
  const node = item.value('exceptions');
  if (node === FAILED) return FAILED;
  if (node === undefined) return undefined;
  if (node === null || kindOf(node) === 'null') return [];
  const listCtx: Context = { type: 'exceptions', name: '', loc: item.valueLoc('exceptions') };
  if (node.kind !== 'seq') return item.fail('Rule exceptions must be a sequence', listCtx);

  const out: ExceptionDef[] = [];
  for (const raw of node.items) {
    const entry = file.deref(raw, listCtx.loc);
    if (entry === FAILED) return FAILED;
    const loc = file.locOf(raw, listCtx.loc);
    if (!entry || entry.kind !== 'map') return item.fail('Rule exception must be a mapping', { type: 'exception', name: '', loc });
    const ex = new ItemReader(file, entry, { type: 'exception', name: '', loc });
    const name = ex.scalar('name', false);
    if (name === FAILED || name === undefined) return FAILED;
    ex.ctx = { type: 'exception', name, loc };
    if (out.some((e) => e.name === name)) {
      file.warn('LOAD_EXCEPTION_NAME_NOT_UNIQUE', `Multiple definitions of exception '${name}' in the same rule`, ex.ctx, item.ctx);
    }
    const def: ExceptionDef = { name, loc };

    const fields = readEntry(ex, 'fields', append);
    if (fields === FAILED) return FAILED;
    if (fields !== undefined) {
      def.fields = flatten(fields);
      def.fieldLocs = entryLocs(ex, 'fields');
    }
    const comps = readEntry(ex, 'comps', true);
    if (comps === FAILED) return FAILED;
    if (comps !== undefined) def.comps = flatten(comps);

    const values = ex.value('values');
    if (values === FAILED) return FAILED;
    if (values !== undefined) {
      const valuesCtx: Context = { type: 'exception values', name: '', loc: ex.valueLoc('values') };
      if (!values || values.kind !== 'seq') return ex.fail('Rule exception values must be a sequence', valuesCtx);
      def.values = [];
      for (const rawValue of values.items) {
        const valueCtx: Context = { type: 'exception value', name: '', loc: file.locOf(rawValue, valuesCtx.loc) };
        const value = decodeEntry(ex, rawValue, valueCtx);
        if (value === FAILED) return FAILED;
        def.values.push(value ?? '');
      }
    } else if (append) {
      file.warn('LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', ex.ctx, item.ctx, ex.misspeltKeyHint('values'));
    }
    const ignored = ex.keysOtherThan(EXCEPTION_KEYS);
    if (ignored.length > 0) def.ignoredKeys = ignored;
    out.push(def);
  }
  return out;
}

/** decode_exception_info_entry for `fields`/`comps`: absent (optional) → undefined; null/map → null. */
function readEntry(ex: ItemReader, key: string, optional: boolean): ExceptionValue | null | undefined | Failed {
  if (!ex.has(key)) return optional ? undefined : ex.fail(`Item has no mapping for key '${key}'`, ex.ctx, undefined, ex.misspeltKeyHint(key));
  const pair = ex.pairs.get(key)!;
  return decodeEntry(ex, pair.value, ex.valueCtx(key));
}

/** The position of a scalar entry, or of each element of a sequence entry. */
function entryLocs(ex: ItemReader, key: string): Loc[] {
  const at = ex.valueLoc(key);
  const node = ex.file.deref(ex.pairs.get(key)?.value, at);
  if (node === FAILED || node === null || node.kind !== 'seq') return [at];
  return node.items.map((child) => ex.file.locOf(child, at));
}

/** A scalar (non-empty), a nested sequence, or null for anything else (Falco leaves such an entry invalid). */
function decodeEntry(ex: ItemReader, raw: YNode | null, ctx: Context): ExceptionValue | null | Failed {
  const node = ex.file.deref(raw, ctx.loc);
  if (node === FAILED) return FAILED;
  if (node === null || kindOf(node) === 'null') return null;
  if (node.kind === 'scalar') return node.text === '' ? ex.fail('Value must be non-empty', ctx) : node.text;
  if (node.kind === 'seq') {
    const out: ExceptionValue[] = [];
    for (const child of node.items) {
      const value = decodeEntry(ex, child, { type: 'exception value', name: '', loc: ex.file.locOf(child, ctx.loc) });
      if (value === FAILED) return FAILED;
      out.push(value ?? '');
    }
    return out;
  }
  return null;
}

/** Fields and comps are one level deep; a nested entry stands as '' (Falco's item text of a list entry). */
function flatten(value: ExceptionValue | null): string | string[] | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  return value.map((v) => (typeof v === 'string' ? v : ''));
}
