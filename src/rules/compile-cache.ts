/**
 * What the compiles of one invocation share (many environments over the same files): list
 * substitutions, parsed conditions and resolved macro trees, each keyed by everything it depends
 * on, plus the per-node analyses of SharedSubtrees. Equal keys mean equal inputs, so a reused
 * result is exactly what a fresh compile would give; ASTs are never modified, only shared.
 */
import type { Expr } from '../condition/ast.js';
import {
  collectMacroRefs,
  deprecatedFieldsInOutput,
  parseCondition,
  reparseChange,
  validateOutputFields,
  type FieldCatalog,
  type ParseResult,
} from '../condition/index.js';
import type { CompiledList, CompiledMacro, ListEntry, MergedRuleset, RuleEntry } from './model.js';
import { buildExceptionsCondition, type ExceptionsCondition } from './exceptions-condition.js';
import { distinctTokens, listReplacement, nameIndexOf, substituteOneList, type NameIndex } from './list-substitution.js';
import { resolveMacroRefs, type MacroTable, type ResolveResult } from './resolve-macros.js';
import { SharedSubtrees, type EventTypeRules } from './shared-subtrees.js';
import { NameSequences } from './name-sequences.js';

export interface Substitution {
  text: string;
  used: ReadonlySet<string>;
}

export interface OutputCheck {
  error: { message: string } | null;
  deprecated: string[];
}

type Resolved = Extract<ResolveResult, { ok: true }>;
type LastParse = { text: string; result: ParseResult };

interface TextScan {
  tokens: string[];
  results: Map<string, Substitution>;
  /** The latest result, with what it depended on: reused without a lookup while those are unchanged. */
  last: { names: number; relevant: number[]; ids: number[]; result: Substitution } | undefined;
}

const NO_LISTS: ReadonlySet<string> = new Set();

/**
 * A list's content key and replacement text, once a substitution needed them. Every object that
 * holds them is made with both fields (undefined until known), so all share one shape.
 */
interface ListKeys {
  key: number | undefined;
  replacement: string | undefined;
}

/** One list's compile (§3.1) and what it depended on besides its entry: the list names, and the entries of those its items name. */
interface ListCompile extends ListKeys {
  names: number;
  namedAt: number[];
  named: (ListEntry | undefined)[];
  items: string[];
  /** Lists it includes (one level, visible to it): they count as used. */
  included: string[];
}

/** Lives for one invocation; pass it to every compile through CompileOptions. */
export class CompileCache {
  private readonly subtrees = new Map<FieldCatalog, Map<string, SharedSubtrees>>();
  private readonly parsed = new Map<string, ParseResult>();
  /** The latest substituted text parsed for each macro and rule, by name, with its parse. */
  private readonly lastParsed = { macro: new Map<string, LastParse>(), rule: new Map<string, LastParse>() };
  private readonly substitutions = new Map<string, TextScan>();
  private readonly ids = { list: new Map<string, number>(), tree: new Map<string, number>() };
  private readonly nameSequences = new NameSequences(() => this.nextId++);
  private readonly replacementTokens = new Map<number, string[]>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly exprIds = new WeakMap<Expr, number>();
  /** The latest resolution of each tree with the keys of the macros it named: reused while they are unchanged. */
  private readonly lastResolved = new WeakMap<Expr, { refKeys: number[]; resolved: { result: Resolved; key: number } }>();
  private readonly refsByExpr = new WeakMap<Expr, string[]>();
  private readonly outputs = new Map<FieldCatalog, Map<string, Map<string, OutputCheck>>>();
  private readonly exceptions = new WeakMap<RuleEntry, ExceptionsCondition>();
  private readonly listCompiles = new WeakMap<ListEntry, ListCompile>();
  /** Name lookups by list names (same names in the same order, same positions). */
  private readonly nameIndexes = new Map<number, NameIndex>();
  private nextId = 0;

  /**
   * compileLists, each list's items reused while its entry, the list names and the entries of the
   * lists it names are unchanged (the items arrays are then shared between compiles, never modified).
   */
  compileLists(merged: MergedRuleset): ListTable {
    const names = this.listNamesId(merged.lists.keys());
    const lists: CompiledList[] = [];
    const compiles: ListCompile[] = [];
    const included = new Set<string>();
    for (const entry of merged.lists.values()) {
      let known = this.listCompiles.get(entry);
      if (!known || known.names !== names || !known.namedAt.every((at, k) => merged.lists.get(entry.items[at]) === known!.named[k])) {
        known = compileList(entry, merged, names);
        this.listCompiles.set(entry, known);
      }
      for (const name of known.included) included.add(name);
      lists.push({ name: entry.name, items: known.items, used: false, entry });
      compiles.push(known);
    }
    for (const list of lists) if (included.has(list.name)) list.used = true;
    let index = this.nameIndexes.get(names);
    if (!index) this.nameIndexes.set(names, (index = nameIndexOf(lists)));
    return new ListTable(lists, names, compiles, index);
  }

  subtreesFor(catalog: FieldCatalog, rules: EventTypeRules): SharedSubtrees {
    let byRules = this.subtrees.get(catalog);
    if (!byRules) this.subtrees.set(catalog, (byRules = new Map<string, SharedSubtrees>()));
    const key = `${rules.evtNumInvariants}/${rules.emptySetWarns}`;
    let subtrees = byRules.get(key);
    if (!subtrees) byRules.set(key, (subtrees = new SharedSubtrees(catalog, rules)));
    return subtrees;
  }

  /**
   * parseCondition of `text`, the condition of a macro or rule after list substitution. When the
   * latest text parsed for the same item differs from it only inside one list literal, or in the
   * operands its exceptions add at the end, or both, that parse is the starting point
   * (reparseChange), and what is known of the nodes it moves goes with them.
   */
  parse(item: 'macro' | 'rule', name: string, text: string): ParseResult {
    let result = this.parsed.get(text);
    if (!result) {
      const last = this.lastParsed[item].get(name);
      const reparsed = last?.result.ok ? reparseChange(last.text, last.result.expr, text) : undefined;
      if (reparsed) {
        for (const byRules of this.subtrees.values()) {
          for (const subtrees of byRules.values()) for (const [from, to] of reparsed.moved) subtrees.moved(from, to, reparsed.delta);
        }
        result = { ok: true, expr: reparsed.expr };
      } else {
        result = parseCondition(text);
      }
      this.parsed.set(text, result);
    }
    this.lastParsed[item].set(name, { text, result });
    return result;
  }

  /** substituteLists, reused when the text and every list it can reach (by name, then through items) are unchanged. */
  substitute(text: string, lists: ListTable): Substitution {
    let scan = this.substitutions.get(text);
    if (!scan) this.substitutions.set(text, (scan = { tokens: distinctTokens(text), results: new Map(), last: undefined }));
    const names = lists.namesKey(this);
    const last = scan.last;
    // same list names in the same order: the same lists are reachable as long as their items are unchanged
    if (last && last.names === names && last.relevant.every((i, k) => lists.idOf(i, this) === last.ids[k])) return last.result;
    const relevant = lists.reachableFrom(scan.tokens, this);
    const ids = relevant.map((i) => lists.idOf(i, this));
    let result: Substitution;
    if (relevant.length === 0) {
      result = { text, used: NO_LISTS };
    } else {
      const key = ids.join(',');
      const known = scan.results.get(key);
      if (known) result = known;
      else scan.results.set(key, (result = lists.substitute(text, scan.tokens, relevant, this)));
    }
    scan.last = { names, relevant, ids, result };
    return result;
  }

  /**
   * resolveMacroRefs, reused when the tree and every macro it names are unchanged: `keyOf` gives the
   * key of an already resolved macro the referrer may see, or undefined (then nothing is reused).
   * Returns the result and the key of the resolved tree.
   */
  resolve(expr: Expr, table: MacroTable, isVisible: (target: CompiledMacro) => boolean, keyOf: (target: CompiledMacro) => number | undefined): { result: ResolveResult; key: number } {
    const refs = this.macroRefs(expr);
    const last = this.lastResolved.get(expr);
    // the keys are only copied out once one differs from the latest resolution's
    let refKeys: number[] | undefined = last === undefined ? new Array<number>(refs.length) : undefined;
    for (let k = 0; k < refs.length; k++) {
      const target = table.get(refs[k]);
      const key = target && isVisible(target) ? keyOf(target) : undefined;
      if (key === undefined) return { result: resolveMacroRefs(expr, table, isVisible), key: this.nextId++ };
      if (refKeys === undefined && key !== last!.refKeys[k]) refKeys = last!.refKeys.slice(0, k);
      if (refKeys !== undefined) refKeys[k] = key;
    }
    if (refKeys === undefined) return last!.resolved;
    const key = `${this.exprId(expr)}:${refKeys.join(',')}`;
    let result = this.resolved.get(key);
    if (!result) {
      const fresh = resolveMacroRefs(expr, table, isVisible);
      if (!fresh.ok) return { result: fresh, key: this.nextId++ };
      this.resolved.set(key, (result = fresh));
    }
    const resolved = { result, key: this.intern('tree', key) };
    this.lastResolved.set(expr, { refKeys, resolved });
    return resolved;
  }

  /** A rule's condition with its exceptions (merged entries never change, so one per entry). */
  exceptionsCondition(entry: RuleEntry): ExceptionsCondition {
    let built = this.exceptions.get(entry);
    if (!built) this.exceptions.set(entry, (built = buildExceptionsCondition(entry.condition, entry.exceptions)));
    return built;
  }

  outputCheck(output: string, source: string, catalog: FieldCatalog): OutputCheck {
    let bySource = this.outputs.get(catalog)?.get(source);
    if (!bySource) {
      let byCatalog = this.outputs.get(catalog);
      if (!byCatalog) this.outputs.set(catalog, (byCatalog = new Map<string, Map<string, OutputCheck>>()));
      byCatalog.set(source, (bySource = new Map<string, OutputCheck>()));
    }
    let check = bySource.get(output);
    if (!check) {
      const error = validateOutputFields(output, source, catalog);
      bySource.set(output, (check = { error, deprecated: error ? [] : deprecatedFieldsInOutput(output) }));
    }
    return check;
  }

  /** A number for the list names in this order: equal numbers, same names in the same order. */
  listNamesId(names: Iterable<string>): number {
    return this.nameSequences.idOf('lists', names);
  }

  /** A number for a key of one kind: equal keys of a kind, equal numbers; numbers are never reused across kinds. */
  intern(kind: 'list' | 'tree', key: string): number {
    const ids = this.ids[kind];
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = this.nextId++));
    return id;
  }

  tokensOfReplacement(id: number, replacement: () => string): string[] {
    let tokens = this.replacementTokens.get(id);
    if (!tokens) this.replacementTokens.set(id, (tokens = distinctTokens(replacement())));
    return tokens;
  }

  private exprId(expr: Expr): number {
    let id = this.exprIds.get(expr);
    if (id === undefined) this.exprIds.set(expr, (id = this.nextId++));
    return id;
  }

  /** The lists the latest substitution of `text` depended on, by position (see reachableFrom). */
  reachOf(text: string): readonly number[] {
    return this.substitutions.get(text)?.last?.relevant ?? [];
  }

  /** The names of the macros a parsed condition refers to, each once. */
  macroRefs(expr: Expr): string[] {
    let refs = this.refsByExpr.get(expr);
    if (!refs) this.refsByExpr.set(expr, (refs = [...new Set(collectMacroRefs(expr).map((r) => r.name))]));
    return refs;
  }
}

export function createCompileCache(): CompileCache {
  return new CompileCache();
}

/** compileLists for one entry: items naming a visible earlier list are replaced by that list's items. */
function compileList(entry: ListEntry, merged: MergedRuleset, names: number): ListCompile {
  const compiled: ListCompile = { names, namedAt: [], named: [], items: [], included: [], key: undefined, replacement: undefined };
  entry.items.forEach((item, at) => {
    const ref = merged.lists.get(item);
    if (ref === undefined) {
      compiled.items.push(item);
      return;
    }
    compiled.namedAt.push(at);
    compiled.named.push(ref);
    if (ref.index < entry.visibility) {
      compiled.included.push(ref.name);
      compiled.items.push(...ref.items);
    } else {
      compiled.items.push(item);
    }
  });
  return compiled;
}

/** One compile's lists, with content keys computed on demand (and kept with a reused list compile). */
export class ListTable {
  private readonly all: Map<string, number>;
  private readonly byName: Map<string, number>;
  private readonly irregular: number[];
  private readonly known: ListKeys[];
  private names: number | undefined;

  constructor(readonly lists: CompiledList[], names?: number, known?: ListKeys[], index: NameIndex = nameIndexOf(lists)) {
    this.all = index.all;
    this.byName = index.byName;
    this.irregular = index.irregular;
    this.names = names;
    this.known = known ?? lists.map(() => ({ key: undefined, replacement: undefined }));
  }

  /** Marks the lists of these names used. */
  markUsed(names: Iterable<string>): void {
    for (const name of names) {
      const i = this.all.get(name);
      if (i !== undefined) this.lists[i].used = true;
    }
  }

  /** The position of the list of this name (the first, if several share it). */
  positionOf(name: string): number | undefined {
    return this.all.get(name);
  }

  /** A key of the list names in order: equal keys, same name lookup. */
  namesKey(cache: CompileCache): number {
    return (this.names ??= cache.listNamesId(this.lists.map((l) => l.name)));
  }

  replacementOf(i: number): string {
    return (this.known[i].replacement ??= listReplacement(this.lists[i].items));
  }

  /** A list's key: equal keys mean equal name and replacement text. */
  idOf(i: number, cache: CompileCache): number {
    const known = this.known[i];
    return (known.key ??= cache.intern('list', `${this.lists[i].name.length}:${this.lists[i].name}${this.replacementOf(i)}`));
  }

  /**
   * substituteLists(text, lists), given the text's distinct tokens and the lists reachable from it
   * (reachableFrom): the same passes in the same order, with replacements and their tokens taken
   * from what is kept per list instead of being built and scanned again.
   */
  substitute(text: string, tokens: readonly string[], reachable: readonly number[], cache: CompileCache): Substitution {
    const used = new Set<string>();
    const pending = new Set<number>(this.irregular);
    const mark = (names: readonly string[], after: number) => {
      for (const name of names) {
        const j = this.byName.get(name);
        if (j !== undefined && j > after) pending.add(j);
      }
    };
    mark(tokens, -1);
    let out = text;
    for (const i of reachable) {
      if (!pending.has(i)) continue;
      const list = this.lists[i];
      const pass = substituteOneList(out, list.name, this.replacementOf(i));
      if (!pass.used) continue;
      out = pass.text;
      used.add(list.name);
      mark(cache.tokensOfReplacement(this.idOf(i, cache), () => this.replacementOf(i)), i);
    }
    return { text: out, used };
  }

  /**
   * Every list whose pass could change the text, in list order: those named by its tokens, those
   * named inside their items (transitively), and the irregular ones that always get a pass. The
   * substitution is a function of the text and these lists' names and items in this order.
   */
  reachableFrom(tokens: readonly string[], cache: CompileCache): number[] {
    const found = new Set<number>(this.irregular);
    // irregular lists always get a pass, so the lists their items name are reachable too
    const pending: number[] = [...this.irregular];
    const visit = (names: readonly string[]) => {
      for (const name of names) {
        const i = this.byName.get(name);
        if (i !== undefined && !found.has(i)) {
          found.add(i);
          pending.push(i);
        }
      }
    };
    visit(tokens);
    while (pending.length > 0) {
      const i = pending.pop()!;
      visit(cache.tokensOfReplacement(this.idOf(i, cache), () => this.replacementOf(i)));
    }
    return found.size === 0 ? [] : [...found].sort((a, b) => a - b);
  }
}
