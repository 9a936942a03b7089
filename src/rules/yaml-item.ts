/**
 * Reading YAML nodes the way Falco's reader does (yaml-cpp `item[key]`, `decode_val`, `decode_seq`):
 * raw scalar text, null spellings, first occurrence of a repeated key, and Falco's messages with the
 * position of the offending key or value. Aliases are followed under an expansion budget.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Diagnostic, DiagnosticCode, Loc } from '../diagnostics/index.js';
import { decodeBool, decodeUint32, isNullSpelling } from './yaml-scalars.js';

/** Returned by a decoder that has recorded an error: reading stops. */
export const FAILED: unique symbol = Symbol('failed');
export type Failed = typeof FAILED;

/** Upper bound on nodes reached through aliases in one file (an alias bomb expands exponentially). */
const MAX_ALIAS_EXPANSION = 100_000;

export type NodeKind = 'null' | 'scalar' | 'seq' | 'map';

/** Falco's context: item type ("rule", "value for", …), item name and where it is. */
export interface Context {
  type: string;
  name: string;
  loc: Loc;
}

/** Per-file state: positions, diagnostics, alias budget. */
export class FileScope {
  readonly diagnostics: Diagnostic[] = [];
  private aliasExpansion = 0;
  private readonly sizes = new Map<Node, number>();

  constructor(
    readonly path: string,
    private readonly lineCounter: LineCounter,
    private readonly doc: Document.Parsed,
  ) {}

  locAt(offset: number): Loc {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.path, line, column: col };
  }

  locOf(node: Node | null | undefined, fallback: Loc): Loc {
    return node?.range ? this.locAt(node.range[0]) : fallback;
  }

  /** The node an alias points to (charged to the expansion budget), or the node itself. */
  deref(node: Node | null | undefined, at: Loc): Node | null | Failed {
    if (!node || !isAlias(node)) return node ?? null;
    const target = node.resolve(this.doc) as Node | undefined;
    if (!target) return null;
    this.aliasExpansion += this.sizeOf(target, 0);
    if (this.aliasExpansion > MAX_ALIAS_EXPANSION) {
      return this.error('LOAD_ERR_YAML_PARSE', 'Excessive alias count indicates a resource exhaustion attack', { type: 'rules content', name: '', loc: this.locOf(node, at) });
    }
    return target;
  }

  private sizeOf(node: Node, depth: number): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (depth < 200 && (isSeq(node) || isMap(node))) {
      for (const child of (node as YAMLSeq | YAMLMap).items as unknown[]) {
        size += this.childSize(child, depth);
        if (size > MAX_ALIAS_EXPANSION) break;
      }
    }
    this.sizes.set(node, size);
    return size;
  }

  private childSize(child: unknown, depth: number): number {
    if (child && typeof child === 'object' && 'key' in child && 'value' in child) {
      const pair = child as Pair;
      return this.childSize(pair.key, depth) + this.childSize(pair.value, depth);
    }
    if (!child || typeof child !== 'object') return 0;
    const node = child as Node;
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as Node | undefined;
      return target ? this.sizeOf(target, depth + 1) : 1;
    }
    return this.sizeOf(node, depth + 1);
  }

  error(code: DiagnosticCode, message: string, ctx: Context, parent?: Context): Failed {
    this.diagnostics.push(diagnostic(code, 'error', message, ctx, parent));
    return FAILED;
  }

  warn(code: DiagnosticCode, message: string, ctx: Context, parent?: Context): void {
    this.diagnostics.push(diagnostic(code, 'warning', message, ctx, parent));
  }
}

function diagnostic(code: DiagnosticCode, severity: 'error' | 'warning', message: string, ctx: Context, parent?: Context): Diagnostic {
  const d: Diagnostic = { code, severity, itemType: ctx.type, itemName: ctx.name, message, location: ctx.loc };
  if (parent && parent !== ctx) d.related = [{ message: `in ${parent.type} '${parent.name}'`, location: parent.loc }];
  return d;
}

export function kindOf(node: Node | null): NodeKind {
  if (node === null) return 'null';
  if (isScalar(node)) {
    const text = scalarText(node);
    return node.type === 'PLAIN' && isNullSpelling(text) && node.tag === undefined ? 'null' : 'scalar';
  }
  if (isSeq(node)) return 'seq';
  if (isMap(node)) return 'map';
  return 'null';
}

export function scalarText(node: Node): string {
  const value = (node as { value?: unknown }).value;
  return typeof value === 'string' ? value : String(value ?? '');
}

/** Pairs of a map by key text, first occurrence wins (yaml-cpp's lookup). */
export function pairsByKey(map: YAMLMap): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const pair of map.items as Pair[]) {
    const key = pair.key as Node | null;
    if (key && isScalar(key)) {
      const text = scalarText(key);
      if (!out.has(text)) out.set(text, pair);
    }
  }
  return out;
}

/** One mapping item being decoded, with Falco's per-key decoders. */
export class ItemReader {
  readonly pairs: Map<string, Pair>;

  constructor(
    readonly file: FileScope,
    readonly map: YAMLMap,
    public ctx: Context,
  ) {
    this.pairs = pairsByKey(map);
  }

  has(key: string): boolean {
    return this.pairs.has(key);
  }

  keyLoc(key: string): Loc {
    return this.file.locOf(this.pairs.get(key)?.key as Node | null, this.ctx.loc);
  }

  valueLoc(key: string): Loc {
    const pair = this.pairs.get(key);
    return pair ? this.file.locOf(pair.value as Node | null, this.keyLoc(key)) : this.ctx.loc;
  }

  /** The value node of `key` (aliases followed), null for a null value, undefined when absent. */
  value(key: string): Node | null | undefined | Failed {
    const pair = this.pairs.get(key);
    if (!pair) return undefined;
    return this.file.deref(pair.value as Node | null, this.keyLoc(key));
  }

  fail(message: string, ctx: Context = this.ctx, code: DiagnosticCode = 'LOAD_ERR_YAML_VALIDATE'): Failed {
    return this.file.error(code, message, ctx, this.ctx);
  }

  valueCtx(key: string): Context {
    return { type: 'value for', name: key, loc: this.valueLoc(key) };
  }

  /** decode_val: the raw non-empty scalar text of `key`; undefined only when optional and absent. */
  scalar(key: string, optional: boolean): string | undefined | Failed {
    const node = this.value(key);
    if (node === FAILED) return FAILED;
    if (node === undefined) {
      return optional ? undefined : this.fail(`Item has no mapping for key '${key}'`);
    }
    if (kindOf(node) === 'null') return this.fail(`Mapping for key '${key}' is empty`, { ...this.ctx, loc: this.keyLoc(key) });
    if (!isScalar(node)) return this.fail('Value is not a scalar value', this.valueCtx(key));
    const text = scalarText(node);
    if (text === '') return this.fail('Value must be non-empty', this.valueCtx(key));
    return text;
  }

  bool(key: string, optional: boolean): boolean | undefined | Failed {
    const text = this.scalar(key, optional);
    if (text === undefined || text === FAILED) return text;
    const value = decodeBool(text);
    return value ?? this.fail("Can't decode YAML scalar value", this.valueCtx(key));
  }

  uint32(key: string, optional: boolean): number | undefined | Failed {
    const text = this.scalar(key, optional);
    if (text === undefined || text === FAILED) return text;
    const value = decodeUint32(text);
    return value ?? this.fail("Can't decode YAML scalar value", this.valueCtx(key));
  }

  /** decode_seq: a sequence of scalars (empty strings allowed), with each element's position. */
  scalarSeq(key: string, optional: boolean): { values: string[]; locs: Loc[] } | undefined | Failed {
    const node = this.value(key);
    if (node === FAILED) return FAILED;
    if (node === undefined) return optional ? undefined : this.fail(`Item has no mapping for key '${key}'`);
    const valueCtx = this.valueCtx(key);
    if (!node || !isSeq(node)) return this.fail('Value is not a sequence', valueCtx);
    const values: string[] = [];
    const locs: Loc[] = [];
    for (const raw of node.items as (Node | null)[]) {
      const element = this.file.deref(raw, valueCtx.loc);
      if (element === FAILED) return FAILED;
      const loc = this.file.locOf(raw, valueCtx.loc);
      if (kindOf(element) !== 'scalar') return this.fail('sequence value is not scalar', { type: 'list item', name: '', loc });
      values.push(scalarText(element!));
      locs.push(loc);
    }
    return { values, locs };
  }
}
