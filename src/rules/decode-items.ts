import { didYouMean } from '../diagnostics/index.js';
/**
 * Decoding lists, macros and version requirements (Falco's rule_loader_reader, docs/falco-rules-semantics.md
 * §1.3–§1.6, §1.9). Rules are in decode-rule.ts.
 */
import type { EngineVersionItem, ItemBase, ListItem, MacroItem, PluginRequirement, PluginVersionsItem } from './model.js';
import { readOverrides } from './decode-overrides.js';
import { ERROR_INVALID_LIST_NAME, ERROR_INVALID_MACRO_NAME, ERROR_OVERRIDE_APPEND, WARNING_APPEND } from './rules-messages.js';
import { FAILED, ItemReader, type Context, type Failed } from './yaml-item.js';
import { decodeUint32, parseVersionTriple } from './yaml-scalars.js';

const LIST_KEYS = new Set(['list', 'items', 'append', 'override']);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override']);
const ITEMS = new Set(['items']);
const CONDITION = new Set(['condition']);
const IDENTIFIER = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const BARESTR = /^[^()"'\s=,]+$/;

/** Falco ≥0.44: after an item is read, each key outside the allowed set is warned about. */
export function warnUnknownKeys(item: ItemReader, allowed: ReadonlySet<string>): void {
  for (const { key, loc } of item.keysOtherThan(allowed)) {
    const hint = didYouMean(key, [...allowed].filter((k) => !item.has(k)));
    item.file.warn('LOAD_UNKNOWN_KEY', `Unknown key '${key}'. The key will be ignored.`, { ...item.ctx, loc }, undefined, hint);
  }
}

/** Reads the optional legacy `append` flag, warning when it is true. */
export function readAppendFlag(item: ItemReader): boolean | Failed {
  const append = item.bool('append', true);
  if (append === FAILED) return FAILED;
  if (append) item.file.warn('LOAD_DEPRECATED_ITEM', WARNING_APPEND, { ...item.ctx, loc: item.keyLoc('append') });
  return append ?? false;
}

export function readList(item: ItemReader, base: ItemBase): ListItem | Failed {
  const name = item.scalar('list', false);
  if (name === FAILED || name === undefined) return FAILED;
  item.ctx = { type: 'list', name, loc: base.loc };
  if (!BARESTR.test(name)) item.file.warn('LOAD_INVALID_LIST_NAME', ERROR_INVALID_LIST_NAME, { ...item.ctx, loc: item.valueLoc('list') });
  const items = item.scalarSeq('items', false);
  if (items === FAILED || items === undefined) return FAILED;
  const legacyAppend = readAppendFlag(item);
  if (legacyAppend === FAILED) return FAILED;
  const overrides = readOverrides(item, ITEMS, ITEMS);
  if (overrides === FAILED) return FAILED;
  if (legacyAppend && overrides.length > 0) return item.fail(ERROR_OVERRIDE_APPEND, { ...item.ctx, loc: item.keyLoc('append') });
  const list: ListItem = { kind: 'list', ...base, name, items: items.values, itemLocs: items.locs, append: legacyAppend };
  const op = overrides.find((o) => o.op === 'append')?.op ?? overrides[0]?.op;
  if (op) list.override = { items: op };
  warnUnknownKeys(item, LIST_KEYS);
  return list;
}

export function readMacro(item: ItemReader, base: ItemBase): MacroItem | Failed {
  const name = item.scalar('macro', false);
  if (name === FAILED || name === undefined) return FAILED;
  item.ctx = { type: 'macro', name, loc: base.loc };
  if (!IDENTIFIER.test(name)) item.file.warn('LOAD_INVALID_MACRO_NAME', ERROR_INVALID_MACRO_NAME, { ...item.ctx, loc: item.valueLoc('macro') });
  const condition = item.scalar('condition', false);
  if (condition === FAILED || condition === undefined) return FAILED;
  const legacyAppend = readAppendFlag(item);
  if (legacyAppend === FAILED) return FAILED;
  const overrides = readOverrides(item, CONDITION, CONDITION);
  if (overrides === FAILED) return FAILED;
  if (legacyAppend && overrides.length > 0) return item.fail(ERROR_OVERRIDE_APPEND, { ...item.ctx, loc: item.keyLoc('append') });
  const macro: MacroItem = { kind: 'macro', ...base, name, condition, append: legacyAppend };
  const op = overrides.find((o) => o.op === 'append')?.op ?? overrides[0]?.op;
  if (op) macro.override = { condition: op };
  warnUnknownKeys(item, MACRO_KEYS);
  return macro;
}

/** Numeric N means 0.N.0; otherwise "x.y.z" read scanf-style (§1.3). */
export function readEngineVersion(item: ItemReader, base: ItemBase): EngineVersionItem | Failed {
  item.ctx = { type: 'required_engine_version', name: '', loc: base.loc };
  const raw = item.scalar('required_engine_version', false);
  if (raw === FAILED || raw === undefined) return FAILED;
  const numeric = decodeUint32(raw);
  let version: string;
  if (numeric !== undefined) {
    version = `0.${numeric}.0`;
  } else {
    const triple = parseVersionTriple(raw);
    if (!triple) {
      return item.fail(`Unable to parse engine version '${raw}' as a semver string. Expected "x.y.z" semver format.`, {
        ...item.ctx,
        loc: item.valueLoc('required_engine_version'),
      });
    }
    version = triple.join('.');
  }
  warnUnknownKeys(item, new Set(['required_engine_version']));
  return { kind: 'required_engine_version', ...base, version, raw };
}

/** The keys Falco reads from an entry of `required_plugin_versions`, and from one of its alternatives. */
export const PLUGIN_REQUIREMENT_KEYS: readonly string[] = ['name', 'version', 'alternatives'];
export const PLUGIN_ALTERNATIVE_KEYS: readonly string[] = ['name', 'version'];

export function readPluginVersions(item: ItemReader, base: ItemBase): PluginVersionsItem | Failed {
  const file = item.file;
  const node = item.value('required_plugin_versions');
  if (node === FAILED) return FAILED;
  const ctx: Context = { type: 'required plugin versions', name: '', loc: item.valueLoc('required_plugin_versions') };
  item.ctx = ctx;
  if (!node || node.kind !== 'seq') return item.fail('Value of required_plugin_versions must be a sequence', ctx);
  const plugins: PluginRequirement[] = [];
  const ignoredKeys: NonNullable<PluginVersionsItem['ignoredKeys']> = [];
  for (const raw of node.items) {
    const entry = file.deref(raw, ctx.loc);
    if (entry === FAILED) return FAILED;
    const loc = file.locOf(raw, ctx.loc);
    const entryCtx: Context = { type: 'required plugin versions entry', name: '', loc };
    if (!entry || entry.kind !== 'map') return item.fail('Plugin version must be a mapping', entryCtx);
    const plugin = new ItemReader(file, entry, entryCtx);
    const name = plugin.scalar('name', false);
    if (name === FAILED || name === undefined) return FAILED;
    plugin.ctx = { ...entryCtx, name };
    const version = plugin.scalar('version', false);
    if (version === FAILED || version === undefined) return FAILED;
    const requirement: PluginRequirement = { name, version, alternatives: [] };
    for (const ignored of plugin.keysOtherThan(PLUGIN_REQUIREMENT_KEYS)) ignoredKeys.push({ plugin: name, ...ignored });
    const alternatives = plugin.value('alternatives');
    if (alternatives === FAILED) return FAILED;
    if (alternatives !== undefined) {
      if (!alternatives || alternatives.kind !== 'seq') return plugin.fail('Value of plugin version alternatives must be a sequence', plugin.ctx);
      for (const rawAlt of alternatives.items) {
        const alt = file.deref(rawAlt, loc);
        if (alt === FAILED) return FAILED;
        const altCtx: Context = { type: 'required plugin versions alternative', name: '', loc: file.locOf(rawAlt, loc) };
        if (!alt || alt.kind !== 'map') return plugin.fail('Plugin version alternative must be a mapping', altCtx);
        const altReader = new ItemReader(file, alt, altCtx);
        const altName = altReader.scalar('name', false);
        if (altName === FAILED || altName === undefined) return FAILED;
        altReader.ctx = { ...altCtx, name: altName };
        const altVersion = altReader.scalar('version', false);
        if (altVersion === FAILED || altVersion === undefined) return FAILED;
        requirement.alternatives.push({ name: altName, version: altVersion });
        for (const ignored of altReader.keysOtherThan(PLUGIN_ALTERNATIVE_KEYS)) ignoredKeys.push({ plugin: name, alternative: altName, ...ignored });
      }
    }
    plugins.push(requirement);
  }
  item.ctx = { type: 'required plugin versions', name: '', loc: base.loc };
  warnUnknownKeys(item, new Set(['required_plugin_versions']));
  return { kind: 'required_plugin_versions', ...base, plugins, ...(ignoredKeys.length > 0 ? { ignoredKeys } : {}) };
}
