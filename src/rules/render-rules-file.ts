/**
 * Renders a merged ruleset as one self-contained Falco rules file that loads to the same effective
 * ruleset as the layered files it came from (docs/falco-rules-semantics.md §2.1, §3.1, §4).
 *
 * Order: required versions, lists, macros, rules, each in first-definition order (`index`), so rule
 * evaluation order and the list substitution order are kept. A list or macro whose latest change
 * came after another one of its kind was first defined (`visibility` > that `index`) could see it
 * in the layered files; in one file it only could if it came after it, so such an entry is written
 * at its first position and restated with `override: replace` at its latest one.
 */
import { renderItemText, stringifyItemText } from './render-item-text.js';
import { NameSequences } from './name-sequences.js';
import type { CompiledRuleset, ExceptionDef, ListEntry, MacroEntry, MergedRuleset, RuleEntry } from './model.js';

export interface RenderOptions {
  /** Comment lines written at the top of the file (without `#`). */
  header?: string[];
  /** Rendered items by content, shared by the environments of one invocation: equal items are written once. */
  cache?: RenderCache;
}

/** Rendered YAML text by item content (canonical JSON), and each merged entry's piece (entries never change once merged). */
export interface RenderCache {
  items: Map<string, string>;
  entries: WeakMap<ListEntry | MacroEntry | RuleEntry, string>;
  restated: WeakMap<ListEntry | MacroEntry, string>;
  macroNames: WeakMap<MacroEntry, readonly string[]>;
  /** Whether an entry is restated, with what decided it: kept while the names of its kind and the entries it names are unchanged. */
  restates: WeakMap<ListEntry | MacroEntry, Restate>;
  /** A number per distinct sequence of names of one kind. */
  nameSets: NameSequences;
}

interface Restate {
  nameSet: number;
  /** The entries its names named (of its kind), in order. */
  named: (ListEntry | MacroEntry)[];
  restate: boolean;
}

export function createRenderCache(): RenderCache {
  return { items: new Map(), entries: new WeakMap(), restated: new WeakMap(), macroNames: new WeakMap(), restates: new WeakMap(), nameSets: new NameSequences() };
}

const RESTATED = '# Restated here, as in the layered files, so it can see the entries above it.';

export function renderRulesFile(ruleset: CompiledRuleset | MergedRuleset, options: RenderOptions = {}): string {
  return joinPieces(renderRulesFilePieces(ruleset, options));
}

/**
 * The rules file as pieces whose concatenation is the file. Pieces of unchanged entries are the
 * cached strings themselves, so many environments' files share them instead of copying them.
 */
export function renderRulesFilePieces(ruleset: CompiledRuleset | MergedRuleset, options: RenderOptions = {}): string[] {
  const merged = 'merged' in ruleset ? ruleset.merged : ruleset;
  const cache = options.cache ?? createRenderCache();
  // each item's piece starts with the blank line that separates it from what comes before
  const pieces: string[] = [];
  const emit = (item: Record<string, unknown>) => pieces.push(`\n${renderItem(item, cache)}`);
  const emitEntry = <T extends ListEntry | MacroEntry | RuleEntry>(entry: T, restate: boolean, render: (entry: T, restate: boolean) => Record<string, unknown>) => {
    const byEntry = restate ? cache.restated : cache.entries;
    let piece = byEntry.get(entry);
    if (piece === undefined) {
      const text = renderItem(render(entry, restate), cache);
      byEntry.set(entry, (piece = restate ? `\n${RESTATED}\n${text}` : `\n${text}`));
    }
    pieces.push(piece);
  };
  const macroNames = (entry: MacroEntry): readonly string[] => {
    let names = cache.macroNames.get(entry);
    if (names === undefined) cache.macroNames.set(entry, (names = entry.condition.match(IDENTIFIER) ?? []));
    return names;
  };
  if (merged.requiredEngineVersion !== null) emit({ required_engine_version: merged.requiredEngineVersion });
  if (merged.requiredPluginVersions.length > 0) {
    emit({
      required_plugin_versions: merged.requiredPluginVersions.map((p) =>
        p.alternatives.length > 0 ? { name: p.name, version: p.version, alternatives: p.alternatives.map((a) => ({ name: a.name, version: a.version })) } : { name: p.name, version: p.version },
      ),
    });
  }
  inVisibilityOrder('list', merged.lists, (l) => l.items, cache, (entry, restate) => emitEntry(entry, restate, renderList));
  inVisibilityOrder('macro', merged.macros, macroNames, cache, (entry, restate) => emitEntry(entry, restate, renderMacro));
  for (const rule of inIndexOrder(merged.rules.values())) emitEntry(rule, false, renderRule);
  const header = (options.header ?? []).map((l) => `# ${l}`.trimEnd()).join('\n');
  if (pieces.length === 0) return [header === '' ? '[]\n' : `${header}\n[]\n`];
  if (header === '') pieces[0] = pieces[0].slice(1);
  else pieces.unshift(`${header}\n`);
  return pieces;
}

/**
 * One string of many pieces. `+` lets V8 keep it as a rope: the pieces are not copied until the
 * text is written out, once, instead of into a fresh copy per environment.
 */
export function joinPieces(pieces: readonly string[]): string {
  let text = '';
  for (const piece of pieces) text += piece;
  return text;
}

/** One item as a one-entry YAML sequence; short sequences in flow style, text never folded. */
function renderItem(item: Record<string, unknown>, cache: RenderCache): string {
  const key = JSON.stringify(item);
  const cached = cache.items.get(key);
  if (cached !== undefined) return cached;
  const text = renderItemText(item) ?? stringifyItemText(item);
  cache.items.set(key, text);
  return text;
}

/** Identifier tokens: every name a macro condition could reference (a superset, which is safe). */
const IDENTIFIER = /[A-Za-z][A-Za-z0-9_]*/g;

/**
 * Calls `emit` with each first definition at its `index`, plus a restatement at `visibility` when the
 * entry names one of its kind (itself included) that it could see only thanks to a later change.
 * Only the few restatements need sorting.
 */
function inVisibilityOrder<T extends ListEntry | MacroEntry>(
  kind: 'list' | 'macro',
  byName: ReadonlyMap<string, T>,
  namesIn: (entry: T) => readonly string[],
  cache: RenderCache,
  emit: (entry: T, restate: boolean) => void,
): void {
  const nameSet = cache.nameSets.idOf(kind, byName.keys());
  const definitions = inIndexOrder(byName.values());
  const restated: T[] = [];
  for (const entry of definitions) {
    let known = cache.restates.get(entry);
    if (!known || known.nameSet !== nameSet || !known.named.every((e) => byName.get(e.name) === e)) {
      known = restateOf(entry, byName, namesIn(entry), nameSet);
      cache.restates.set(entry, known);
    }
    if (known.restate) restated.push(entry);
  }
  restated.sort((a, b) => a.visibility - b.visibility);
  // every index and visibility is a distinct merge step, so the two orders interleave without ties
  let r = 0;
  for (const entry of definitions) {
    while (r < restated.length && restated[r].visibility < entry.index) emit(restated[r++], true);
    emit(entry, false);
  }
  while (r < restated.length) emit(restated[r++], true);
}

/** Entries in first-definition order: merged tables keep it, so they are sorted only if they do not. */
function inIndexOrder<T extends { index: number }>(entries: Iterable<T>): T[] {
  const ordered = [...entries];
  for (let i = 1; i < ordered.length; i++) if (ordered[i].index < ordered[i - 1].index) return ordered.sort((a, b) => a.index - b.index);
  return ordered;
}

/** Whether `entry` names one of its kind (itself included) that it could see only thanks to a later change. */
function restateOf<T extends ListEntry | MacroEntry>(entry: T, byName: ReadonlyMap<string, T>, names: readonly string[], nameSet: number): Restate {
  const named: T[] = [];
  let restate = false;
  for (const name of names) {
    const target = byName.get(name);
    if (target === undefined) continue;
    named.push(target);
    if (target.index >= entry.index && target.index < entry.visibility) restate = true;
  }
  return { nameSet, named, restate };
}

function renderList(entry: ListEntry, restate: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = { list: entry.name, items: [...entry.items] };
  if (restate) item.override = { items: 'replace' };
  return item;
}

function renderMacro(entry: MacroEntry, restate: boolean): Record<string, unknown> {
  const item: Record<string, unknown> = { macro: entry.name, condition: entry.condition };
  if (restate) item.override = { condition: 'replace' };
  return item;
}

function renderRule(rule: RuleEntry): Record<string, unknown> {
  const item: Record<string, unknown> = {
    rule: rule.name,
    desc: rule.desc,
    condition: rule.condition,
    output: rule.output,
    priority: rule.priority.toUpperCase(),
  };
  if (rule.source !== 'syscall') item.source = rule.source;
  item.enabled = rule.enabled;
  if (rule.tags.length > 0) item.tags = [...rule.tags];
  if (rule.exceptions.length > 0) item.exceptions = rule.exceptions.map(renderException);
  if (rule.capture) item.capture = true;
  if (rule.capture_duration !== 0) item.capture_duration = rule.capture_duration;
  if (!rule.warn_evttypes) item.warn_evttypes = false;
  if (rule['skip-if-unknown-filter']) item['skip-if-unknown-filter'] = true;
  return item;
}

/** Comps written explicitly, with Falco's defaults: `=` per field in list form, `in` in single form (§2.6). */
function renderException(exception: ExceptionDef): Record<string, unknown> {
  const out: Record<string, unknown> = { name: exception.name };
  const { fields, comps } = exception;
  if (fields !== undefined) {
    out.fields = Array.isArray(fields) ? [...fields] : fields;
    if (Array.isArray(fields)) {
      out.comps = Array.isArray(comps) && comps.length > 0 ? comps.map((c) => c.trim()) : fields.map(() => '=');
    } else {
      out.comps = typeof comps === 'string' && comps.trim() !== '' ? comps.trim() : 'in';
    }
  } else if (comps !== undefined) {
    out.comps = comps;
  }
  if (exception.values !== undefined) out.values = exception.values;
  return out;
}
