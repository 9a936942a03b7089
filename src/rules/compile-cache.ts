/**
 * What the compiles of one invocation share (many environments over the same files): list
 * substitutions, parsed conditions and resolved macro trees, each keyed by everything it depends
 * on, plus the per-node analyses of SharedSubtrees. Equal keys mean equal inputs, so a reused
 * result is exactly what a fresh compile would give; ASTs are never modified, only shared.
 */
import type { Expr } from '../condition/ast.js';
import { collectMacroRefs, deprecatedFieldsInOutput, parseCondition, validateOutputFields, type FieldCatalog, type ParseResult } from '../condition/index.js';
import type { CompiledList, CompiledMacro } from './model.js';
import { distinctTokens, listReplacement, nameIndexOf, substituteLists } from './list-substitution.js';
import { resolveMacroRefs, type MacroTable, type ResolveResult } from './resolve-macros.js';
import { SharedSubtrees } from './shared-subtrees.js';

export interface Substitution {
  text: string;
  used: ReadonlySet<string>;
}

export interface OutputCheck {
  error: { message: string } | null;
  deprecated: string[];
}

type Resolved = Extract<ResolveResult, { ok: true }>;

const NO_LISTS: ReadonlySet<string> = new Set();

/** Lives for one invocation; pass it to every compile through CompileOptions. */
export class CompileCache {
  private readonly subtrees = new Map<FieldCatalog, SharedSubtrees>();
  private readonly parsed = new Map<string, ParseResult>();
  private readonly substitutions = new Map<string, { tokens: string[]; results: Map<string, Substitution> }>();
  private readonly ids = new Map<string, number>();
  private readonly replacementTokens = new Map<number, string[]>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly exprIds = new WeakMap<Expr, number>();
  private readonly macroRefs = new WeakMap<Expr, string[]>();
  private readonly outputs = new Map<string, OutputCheck>();
  private nextId = 0;

  subtreesFor(catalog: FieldCatalog): SharedSubtrees {
    let subtrees = this.subtrees.get(catalog);
    if (!subtrees) this.subtrees.set(catalog, (subtrees = new SharedSubtrees(catalog)));
    return subtrees;
  }

  parse(text: string): ParseResult {
    let result = this.parsed.get(text);
    if (!result) this.parsed.set(text, (result = parseCondition(text)));
    return result;
  }

  /** substituteLists, reused when the text and every list it can reach (by name, then through items) are unchanged. */
  substitute(text: string, lists: ListTable): Substitution {
    let scan = this.substitutions.get(text);
    if (!scan) this.substitutions.set(text, (scan = { tokens: distinctTokens(text), results: new Map() }));
    const relevant = lists.reachableFrom(scan.tokens, this);
    if (relevant.length === 0) return { text, used: NO_LISTS };
    const key = relevant.map((i) => lists.idOf(i, this)).join(',');
    let result = scan.results.get(key);
    if (!result) scan.results.set(key, (result = substituteLists(text, lists.lists)));
    return result;
  }

  /**
   * resolveMacroRefs, reused when the tree and every macro it names are unchanged: `keyOf` gives the
   * key of an already resolved macro the referrer may see, or undefined (then nothing is reused).
   * Returns the result and the key of the resolved tree.
   */
  resolve(expr: Expr, table: MacroTable, isVisible: (target: CompiledMacro) => boolean, keyOf: (target: CompiledMacro) => number | undefined): { result: ResolveResult; key: number } {
    const refKeys: number[] = [];
    for (const name of this.refsOf(expr)) {
      const target = table.get(name);
      const key = target && isVisible(target) ? keyOf(target) : undefined;
      if (key === undefined) return { result: resolveMacroRefs(expr, table, isVisible), key: this.nextId++ };
      refKeys.push(key);
    }
    const key = `${this.exprId(expr)}:${refKeys.join(',')}`;
    let result = this.resolved.get(key);
    if (!result) {
      const fresh = resolveMacroRefs(expr, table, isVisible);
      if (!fresh.ok) return { result: fresh, key: this.nextId++ };
      this.resolved.set(key, (result = fresh));
    }
    return { result, key: this.intern(key) };
  }

  outputCheck(output: string, source: string, catalog: FieldCatalog): OutputCheck {
    const key = `${source}\u0000${output}`;
    let check = this.outputs.get(key);
    if (!check) {
      const error = validateOutputFields(output, source, catalog);
      this.outputs.set(key, (check = { error, deprecated: error ? [] : deprecatedFieldsInOutput(output) }));
    }
    return check;
  }

  intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.nextId++));
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

  private refsOf(expr: Expr): string[] {
    let refs = this.macroRefs.get(expr);
    if (!refs) this.macroRefs.set(expr, (refs = [...new Set(collectMacroRefs(expr).map((r) => r.name))]));
    return refs;
  }
}

export function createCompileCache(): CompileCache {
  return new CompileCache();
}

/** One compile's lists, with content keys computed on demand. */
export class ListTable {
  private readonly byName: Map<string, number>;
  private readonly irregular: number[];
  private readonly keys: (number | undefined)[];
  private readonly replacements: (string | undefined)[];

  constructor(readonly lists: readonly CompiledList[]) {
    const index = nameIndexOf(lists);
    this.byName = index.byName;
    this.irregular = index.irregular;
    this.keys = new Array<number | undefined>(lists.length);
    this.replacements = new Array<string | undefined>(lists.length);
  }

  replacementOf(i: number): string {
    return (this.replacements[i] ??= listReplacement(this.lists[i]!.items));
  }

  /** A list's key: equal keys mean equal name and replacement text. */
  idOf(i: number, cache: CompileCache): number {
    let id = this.keys[i];
    if (id === undefined) {
      id = this.keys[i] = cache.intern(`${this.lists[i]!.name}\u0000${this.replacementOf(i)}`);
    }
    return id;
  }

  /**
   * Every list whose pass could change the text, in list order: those named by its tokens, those
   * named inside their items (transitively), and the irregular ones that always get a pass. The
   * substitution is a function of the text and these lists' names and items in this order.
   */
  reachableFrom(tokens: readonly string[], cache: CompileCache): number[] {
    const found = new Set<number>(this.irregular);
    const pending: number[] = [];
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
