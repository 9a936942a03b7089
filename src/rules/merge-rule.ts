/** The collector's rule operations (docs/falco-rules-semantics.md §2.3): define, append, selective replace, enable. */
import { didYouMean } from '../diagnostics/index.js';
import type { Loc } from '../diagnostics/index.js';
import type { ExceptionDef, RuleEntry, RuleFields, RuleItem, RuleOverridableKey } from './model.js';
import { appendExceptions, isValidEntry, validateException } from './merge-exceptions.js';
import { ERROR_NO_PREVIOUS_RULE_APPEND, ERROR_NO_PREVIOUS_RULE_REPLACE } from './rules-messages.js';
import { sortedSet } from './decode-rule.js';
import { conditionSegment, type Collector } from './collector.js';

const APPEND_ORDER: readonly RuleOverridableKey[] = ['condition', 'exceptions', 'output', 'desc', 'tags'];

export function collectRule(c: Collector, item: RuleItem): boolean {
  switch (item.shape) {
    case 'define':
      return defineRule(c, item);
    case 'append':
      return appendRule(c, item, ['condition', 'exceptions'], 'Appended rule must have exceptions or condition property');
    case 'override': {
      const appended = APPEND_ORDER.filter((k) => item.override?.[k] === 'append');
      const replaced = (Object.keys(item.override ?? {}) as RuleOverridableKey[]).filter((k) => item.override?.[k] === 'replace');
      if (appended.length > 0 && !appendRule(c, item, appended, 'Appended rule must have exceptions or condition property')) return false;
      return replaced.length === 0 || replaceRule(c, item, replaced);
    }
    case 'enabled-only':
      return enableRule(c, item);
  }
}

function defineRule(c: Collector, item: RuleItem): boolean {
  const f = item.fields as RuleFields;
  const prev = c.rules.get(item.name);
  if (prev && prev.source !== f.source) return c.fail('rule', item.name, 'Rule has been re-defined with a different source', item.keyLocs.source ?? item.loc);
  const exceptions: ExceptionDef[] = [];
  for (const ex of f.exceptions) {
    if (!isValidEntry(ex.fields)) return c.fail('exception', ex.name, 'Rule exception item must have fields property with a list of fields', ex.loc);
    const validated = validateException(ex, f.source, c.isKnownField);
    if ('error' in validated) return c.fail('exception', ex.name, validated.error, validated.loc);
    exceptions.push(validated);
  }
  const seq = c.nextSeq();
  const entry: RuleEntry = {
    ...f,
    tags: f.tags.slice(),
    exceptions,
    name: item.name,
    index: prev?.index ?? seq,
    visibility: seq,
    loc: prev?.loc ?? item.loc,
    history: [...(prev?.history ?? []), { field: '*', action: prev ? 'redefine' : 'define', loc: item.loc }],
    conditionSegments: [conditionSegment(item, 0)],
  };
  c.rules.set(item.name, entry);
  return true;
}

/** The update path's source check: only a non-empty source on the item is compared. */
function sourceMismatch(prev: RuleEntry | undefined, item: RuleItem): boolean {
  return prev !== undefined && item.fields.source !== undefined && item.fields.source !== prev.source;
}

function appendRule(c: Collector, item: RuleItem, keys: readonly RuleOverridableKey[], emptyMessage: string): boolean {
  const prev = c.rules.get(item.name);
  if (sourceMismatch(prev, item)) return c.fail('rule', item.name, 'Rule has been re-defined with a different source', item.keyLocs.source ?? item.loc);
  if (!prev) return c.fail('rule', item.name, ERROR_NO_PREVIOUS_RULE_APPEND, item.loc, didYouMean(item.name, c.rules.keys()));
  const f = item.fields;
  const present = keys.filter((k) => f[k] !== undefined);
  if (present.length === 0) return c.fail('rule', item.name, emptyMessage, item.loc);

  const next: RuleEntry = { ...prev, history: prev.history.slice(), conditionSegments: prev.conditionSegments.slice() };
  for (const key of ['condition', 'output', 'desc'] as const) {
    const text = present.includes(key) ? f[key] : undefined;
    if (text === undefined || text === '') continue;
    if (key === 'condition') next.conditionSegments.push(conditionSegment(item, next.condition.length + 1));
    next[key] = `${next[key]} ${text}`;
  }
  if (present.includes('tags') && f.tags) next.tags = sortedSet([...next.tags, ...f.tags]);
  if (present.includes('exceptions') && f.exceptions) {
    const merged = appendExceptions(next.exceptions, f.exceptions, prev.source, c.isKnownField);
    if (!Array.isArray(merged)) return c.fail('exception', merged.at.name, merged.error, merged.loc);
    next.exceptions = merged;
  }
  next.visibility = c.nextSeq();
  for (const key of present) next.history.push({ field: key, action: 'append', loc: changeLoc(item, key) });
  c.rules.set(item.name, next);
  return true;
}

function replaceRule(c: Collector, item: RuleItem, keys: readonly RuleOverridableKey[]): boolean {
  const prev = c.rules.get(item.name);
  if (sourceMismatch(prev, item)) return c.fail('rule', item.name, 'Rule has been re-defined with a different source', item.keyLocs.source ?? item.loc);
  if (!prev) return c.fail('rule', item.name, ERROR_NO_PREVIOUS_RULE_REPLACE, item.loc, didYouMean(item.name, c.rules.keys()));
  const f = item.fields;
  const next: RuleEntry = { ...prev, history: prev.history.slice() };
  const target = next as unknown as Record<string, unknown>;
  for (const key of keys) {
    const value = f[key];
    if (value === undefined) continue;
    // exceptions are assigned as written: Falco neither validates nor defaults replaced exceptions (§2.6)
    target[key] = Array.isArray(value) ? value.slice() : value;
    if (key === 'condition') next.conditionSegments = [conditionSegment(item, 0)];
    next.history.push({ field: key, action: 'replace', loc: changeLoc(item, key) });
  }
  next.visibility = c.nextSeq();
  c.rules.set(item.name, next);
  return true;
}

function enableRule(c: Collector, item: RuleItem): boolean {
  const prev = c.rules.get(item.name);
  if (!prev) return c.fail('rule', item.name, "Rule has 'enabled' key but no rule by that name already exists", item.loc);
  c.rules.set(item.name, {
    ...prev,
    enabled: item.fields.enabled ?? prev.enabled,
    history: [...prev.history, { field: 'enabled', action: 'enable', loc: changeLoc(item, 'enabled') }],
  });
  return true;
}

function changeLoc(item: RuleItem, key: string): Loc {
  return item.valueLocs[key] ?? item.keyLocs[key] ?? item.loc;
}
