/** Decoding a `rule` item in Falco's four shapes (docs/falco-rules-semantics.md §1.7, §2.3). */
import { didYouMean } from '../diagnostics/index.js';
import type { ItemBase, OverrideOp, RuleFields, RuleItem, RuleOverridableKey } from './model.js';
import { readExceptions } from './decode-exceptions.js';
import { readAppendFlag, warnUnknownKeys } from './decode-items.js';
import { readOverrides, type OverrideEntry } from './decode-overrides.js';
import { ERROR_OVERRIDE_APPEND, WARNING_ENABLED } from './rules-messages.js';
import type { ItemReader} from './yaml-item.js';
import { FAILED, type Failed } from './yaml-item.js';
import { parsePriority } from './yaml-scalars.js';
import { compareStrings } from '../config/compare-paths.js';

const RULE_KEYS = new Set([
  'rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration',
  'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append',
]);
const APPENDABLE: readonly RuleOverridableKey[] = ['condition', 'exceptions', 'output', 'desc', 'tags'];
const REPLACEABLE: readonly RuleOverridableKey[] = [
  'condition', 'exceptions', 'output', 'desc', 'tags', 'priority', 'capture', 'capture_duration', 'enabled',
  'warn_evttypes', 'skip-if-unknown-filter',
];
const APPENDABLE_SET: ReadonlySet<string> = new Set(APPENDABLE);
const REPLACEABLE_SET: ReadonlySet<string> = new Set(REPLACEABLE);
const TEXT_KEYS = new Set(['condition', 'output', 'desc']);
const BOOL_KEYS = new Set(['enabled', 'capture', 'warn_evttypes', 'skip-if-unknown-filter']);

export function readRule(item: ItemReader, base: ItemBase): RuleItem | Failed {
  const name = item.scalar('rule', false);
  if (name === FAILED || name === undefined) return FAILED;
  item.ctx = { type: 'rule', name, loc: base.loc };
  const hasAppendFlag = readAppendFlag(item);
  if (hasAppendFlag === FAILED) return FAILED;
  const overrides = readOverrides(item, APPENDABLE_SET, REPLACEABLE_SET);
  if (overrides === FAILED) return FAILED;
  if (hasAppendFlag && overrides.length > 0) return item.fail(ERROR_OVERRIDE_APPEND, { ...item.ctx, loc: item.keyLoc('append') });

  const rule: RuleItem = { kind: 'rule', ...base, name, shape: 'define', fields: {} };
  let result: RuleItem | Failed;
  if (overrides.length > 0) result = readOverrideRule(item, rule, overrides);
  else if (hasAppendFlag) result = readLegacyAppend(item, rule);
  else if (!item.has('condition') && !item.has('output') && !item.has('desc') && !item.has('priority')) result = readEnabledOnly(item, rule);
  else result = readDefinition(item, rule);
  if (result === FAILED) return FAILED;
  warnUnknownKeys(item, RULE_KEYS);
  return result;
}

function readDefinition(item: ItemReader, rule: RuleItem): RuleItem | Failed {
  const f = rule.fields;
  for (const key of ['condition', 'output', 'desc'] as const) {
    const text = item.scalar(key, false);
    if (text === FAILED || text === undefined) return FAILED;
    f[key] = text;
  }
  const priority = readPriority(item);
  if (priority === FAILED) return FAILED;
  f.priority = priority;
  f.output = trimBlanks(f.output!);
  const source = item.scalar('source', true);
  if (source === FAILED) return FAILED;
  f.source = source ?? 'syscall';
  for (const [key, fallback] of [['enabled', true], ['warn_evttypes', true], ['skip-if-unknown-filter', false], ['capture', false]] as const) {
    const value = item.bool(key, true);
    if (value === FAILED) return FAILED;
    f[key] = value ?? fallback;
  }
  const duration = item.uint32('capture_duration', true);
  if (duration === FAILED) return FAILED;
  f.capture_duration = duration ?? 0;
  const tags = readTags(item);
  if (tags === FAILED) return FAILED;
  f.tags = tags ?? [];
  const exceptions = readExceptions(item, false);
  if (exceptions === FAILED) return FAILED;
  f.exceptions = exceptions ?? [];
  return rule;
}

function readLegacyAppend(item: ItemReader, rule: RuleItem): RuleItem | Failed {
  rule.shape = 'append';
  if (item.has('condition')) {
    const condition = item.scalar('condition', false);
    if (condition === FAILED || condition === undefined) return FAILED;
    rule.fields.condition = condition;
  }
  if (item.has('exceptions')) {
    const exceptions = readExceptions(item, true);
    if (exceptions === FAILED) return FAILED;
    rule.fields.exceptions = exceptions ?? [];
  }
  readLenientSource(item, rule);
  return rule;
}

function readEnabledOnly(item: ItemReader, rule: RuleItem): RuleItem | Failed {
  rule.shape = 'enabled-only';
  const enabled = item.bool('enabled', false);
  if (enabled === FAILED || enabled === undefined) return FAILED;
  rule.fields.enabled = enabled;
  item.file.warn('LOAD_DEPRECATED_ITEM', WARNING_ENABLED, item.ctx);
  return rule;
}

/** The override path (§2.3 steps 1–5): append entries, then replace entries, then leftover keys. */
function readOverrideRule(item: ItemReader, rule: RuleItem, overrides: OverrideEntry[]): RuleItem | Failed {
  rule.shape = 'override';
  rule.override = {};
  const byOp: Record<OverrideOp, Map<string, OverrideEntry>> = { append: new Map(), replace: new Map() };
  for (const o of overrides) {
    if (!byOp[o.op].has(o.key)) byOp[o.op].set(o.key, o);
  }
  const expected = new Set(REPLACEABLE.filter((k) => item.has(k)));
  for (const [op, keys] of [['append', APPENDABLE], ['replace', REPLACEABLE]] as const) {
    for (const key of keys) {
      const entry = byOp[op].get(key);
      if (!entry) continue;
      if (!expected.has(key)) {
        return item.fail(`An ${op} override for '${key}' was specified but '${key}' is not defined`, { ...item.ctx, loc: entry.keyLoc });
      }
      expected.delete(key);
      rule.override[key] = op;
      if (readOverriddenKey(item, rule, key, op) === FAILED) return FAILED;
    }
  }
  const leftover = [...expected].sort()[0];
  if (leftover !== undefined) {
    return item.fail(`Unexpected key '${leftover}': no corresponding entry under 'override' is defined.`, {
      type: 'overrides',
      name: leftover,
      loc: item.keyLoc(leftover),
    });
  }
  readLenientSource(item, rule);
  return rule;
}

function readOverriddenKey(item: ItemReader, rule: RuleItem, key: RuleOverridableKey, op: OverrideOp): void | Failed {
  const f: Partial<RuleFields> = rule.fields;
  if (TEXT_KEYS.has(key)) {
    const text = item.scalar(key, false);
    if (text === FAILED || text === undefined) return FAILED;
    f[key as 'condition' | 'output' | 'desc'] = text;
  } else if (key === 'exceptions') {
    const exceptions = readExceptions(item, op === 'append');
    if (exceptions === FAILED) return FAILED;
    f.exceptions = exceptions ?? [];
  } else if (key === 'tags') {
    const tags = readTags(item);
    if (tags === FAILED) return FAILED;
    f.tags = tags ?? [];
  } else if (key === 'priority') {
    const priority = readPriority(item);
    if (priority === FAILED) return FAILED;
    f.priority = priority;
  } else if (key === 'capture_duration') {
    const duration = item.uint32(key, false);
    if (duration === FAILED || duration === undefined) return FAILED;
    f.capture_duration = duration;
  } else if (BOOL_KEYS.has(key)) {
    const value = item.bool(key, false);
    if (value === FAILED || value === undefined) return FAILED;
    f[key as 'enabled' | 'capture' | 'warn_evttypes' | 'skip-if-unknown-filter'] = value;
  }
}

function readPriority(item: ItemReader): RuleFields['priority'] | Failed {
  const text = item.scalar('priority', false);
  if (text === FAILED || text === undefined) return FAILED;
  return parsePriority(text) ?? item.fail('Invalid priority', { type: 'rule priority', name: '', loc: item.valueLoc('priority') }, undefined, priorityHint(text));
}

/** The schema's upper-case names; a refused abbreviation (`WARN`, `crit`) is suggested by prefix, a typo by edit distance. */
const PRIORITY_NAMES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

function priorityHint(text: string): string | undefined {
  const upper = text.toUpperCase();
  const byPrefix = upper.length >= 2 ? PRIORITY_NAMES.find((p) => p.startsWith(upper)) : undefined;
  return byPrefix === undefined ? didYouMean(text, PRIORITY_NAMES) : `did you mean '${byPrefix}'?`;
}

/** Tags are a sorted set (std::set<std::string>: byte order). */
function readTags(item: ItemReader): string[] | undefined | Failed {
  const seq = item.scalarSeq('tags', true);
  if (seq === FAILED || seq === undefined) return seq;
  return sortedSet(seq.values);
}

export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}


/** On append and override items a `source` only matters when it is a non-empty scalar (the source check). */
function readLenientSource(item: ItemReader, rule: RuleItem): void {
  const node = item.value('source');
  if (node && node !== FAILED && node.kind === 'scalar' && !node.isNull && node.text !== '') rule.fields.source = node.text;
}

function trimBlanks(text: string): string {
  return text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
}
