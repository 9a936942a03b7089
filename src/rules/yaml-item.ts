/**
 * Reading YAML nodes the way Falco's reader does (yaml-cpp `item[key]`, `decode_val`, `decode_seq`):
 * raw scalar text, null spellings, first occurrence of a repeated key, and Falco's messages with the
 * position of the offending key or value. Aliases are followed under an expansion budget.
 */
import { didYouMean, type Diagnostic, type DiagnosticCode, type Loc } from '../diagnostics/index.js';
import { closestName } from '../config/closest-name.js';
import { decodeBool, decodeUint32 } from './yaml-scalars.js';
import { NO_OFFSET, type YMap, type YNode, type YPair } from './yaml-tree.js';

/** Returned by a decoder that has recorded an error: reading stops. */
export const FAILED: unique symbol = Symbol('failed');
export type Failed = typeof FAILED;

/** Upper bound on nodes reached through aliases in one file (an alias bomb expands exponentially). */
const MAX_ALIAS_EXPANSION = 100_000;

export type NodeKind = 'null' | 'scalar' | 'seq' | 'map';

/** Falco's context: the type of the item or of the place in it ("rule", "value for", …), its name and where it is. */
export interface Context {
  type: string;
  name: string;
  loc: Loc;
}

/** Per-file state: positions, diagnostics, alias budget. */
export class FileScope {
  readonly diagnostics: Diagnostic[] = [];
  private aliasExpansion = 0;
  private readonly sizes = new Map<YNode, number>();

  /** `lineStarts`: the offset of each line's first character, ascending (yaml's LineCounter.lineStarts). */
  constructor(
    readonly path: string,
    private readonly lineStarts: readonly number[],
  ) {}

  locAt(offset: number): Loc {
    return { file: this.path, ...linePos(this.lineStarts, offset) };
  }

  locOf(node: YNode | null | undefined, fallback: Loc): Loc {
    return node && node.offset !== NO_OFFSET ? this.locAt(node.offset) : fallback;
  }

  /** The node an alias points to (charged to the expansion budget), or the node itself. */
  deref(node: YNode | null | undefined, at: Loc): YNode | null | Failed {
    if (!node || node.kind !== 'alias') return node ?? null;
    const target = node.resolve();
    if (!target) return null;
    this.aliasExpansion += this.sizeOf(target, 0);
    if (this.aliasExpansion > MAX_ALIAS_EXPANSION) {
      return this.error('LOAD_ERR_YAML_PARSE', 'Excessive alias count indicates a resource exhaustion attack', { type: 'rules content', name: '', loc: this.locOf(node, at) });
    }
    return target;
  }

  private sizeOf(node: YNode, depth: number): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (depth < 200 && node.kind === 'seq') {
      for (const child of node.items) {
        size += this.childSize(child, depth);
        if (size > MAX_ALIAS_EXPANSION) break;
      }
    } else if (depth < 200 && node.kind === 'map') {
      for (const pair of node.pairs) {
        size += this.childSize(pair.key, depth) + this.childSize(pair.value, depth);
        if (size > MAX_ALIAS_EXPANSION) break;
      }
    }
    this.sizes.set(node, size);
    return size;
  }

  private childSize(child: YNode | null, depth: number): number {
    if (!child) return 0;
    if (child.kind === 'alias') {
      const target = child.resolve();
      return target ? this.sizeOf(target, depth + 1) : 1;
    }
    return this.sizeOf(child, depth + 1);
  }

  error(code: DiagnosticCode, message: string, ctx: Context, parent?: Context, hint?: string): Failed {
    this.diagnostics.push(diagnostic(code, 'error', message, ctx, parent, hint));
    return FAILED;
  }

  warn(code: DiagnosticCode, message: string, ctx: Context, parent?: Context, hint?: string): void {
    this.diagnostics.push(diagnostic(code, 'warning', message, ctx, parent, hint));
  }
}

/**
 * Places inside an item (Falco's context chain has them below the item): a diagnostic there names
 * the item that holds it, as Falco's first named location does, and keeps the place's position.
 */
const SUB_LOCATIONS: ReadonlySet<string> = new Set([
  'value for',
  'list item',
  'exceptions',
  'exception values',
  'exception value',
  'rule priority',
  'overrides',
  'required plugin versions alternative',
]);

function diagnostic(code: DiagnosticCode, severity: 'error' | 'warning', message: string, ctx: Context, parent?: Context, hint?: string): Diagnostic {
  const item = parent && SUB_LOCATIONS.has(ctx.type) ? parent : ctx;
  const d: Diagnostic = { code, severity, itemType: item.type, itemName: item.name, message, location: ctx.loc };
  if (hint !== undefined) d.hint = hint;
  if (parent && parent !== ctx) d.related = [{ message: `in ${parent.type} '${parent.name}'`, location: parent.loc }];
  return d;
}

/** yaml's LineCounter.linePos: 1-based line and column of an offset, by binary search over line starts. */
export function linePos(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lineStarts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  if (lineStarts[low] === offset) return { line: low + 1, column: 1 };
  if (low === 0) return { line: 0, column: offset };
  return { line: low, column: offset - lineStarts[low - 1] + 1 };
}

export function kindOf(node: YNode | null): NodeKind {
  if (node === null) return 'null';
  switch (node.kind) {
    case 'scalar':
      return node.isNull ? 'null' : 'scalar';
    case 'seq':
    case 'map':
      return node.kind;
    case 'alias':
      return 'null';
  }
}

/** Pairs of a map by key text, first occurrence wins (yaml-cpp's lookup). */
export function pairsByKey(map: YMap): Map<string, YPair> {
  const out = new Map<string, YPair>();
  for (const pair of map.pairs) {
    const key = pair.key;
    if (key && key.kind === 'scalar' && !out.has(key.text)) out.set(key.text, pair);
  }
  return out;
}

/** One mapping item being decoded, with Falco's per-key decoders. */
export class ItemReader {
  readonly pairs: Map<string, YPair>;

  constructor(
    readonly file: FileScope,
    readonly map: YMap,
    public ctx: Context,
  ) {
    this.pairs = pairsByKey(map);
  }

  has(key: string): boolean {
    return this.pairs.has(key);
  }

  keyLoc(key: string): Loc {
    return this.file.locOf(this.pairs.get(key)?.key, this.ctx.loc);
  }

  valueLoc(key: string): Loc {
    const pair = this.pairs.get(key);
    return pair ? this.file.locOf(pair.value, this.keyLoc(key)) : this.ctx.loc;
  }

  /** The value node of `key` (aliases followed), null for a null value, undefined when absent. */
  value(key: string): YNode | null | undefined | Failed {
    const pair = this.pairs.get(key);
    if (!pair) return undefined;
    return this.file.deref(pair.value, this.keyLoc(key));
  }

  fail(message: string, ctx: Context = this.ctx, code: DiagnosticCode = 'LOAD_ERR_YAML_VALIDATE', hint?: string): Failed {
    return this.file.error(code, message, ctx, this.ctx, hint);
  }

  /** The keys of this mapping other than `read` (those the reader looks at), each with where it is written. */
  keysOtherThan(read: ReadonlySet<string> | readonly string[]): { key: string; loc: Loc }[] {
    const known: ReadonlySet<string> = read instanceof Set ? read : new Set(read);
    return [...this.pairs.keys()].filter((key) => !known.has(key)).map((key) => ({ key, loc: this.keyLoc(key) }));
  }

  /** For a missing key: the present key that looks like a misspelling of it. */
  misspeltKeyHint(key: string): string | undefined {
    const misspelt = [...this.pairs.keys()].find((k) => k !== key && closestName(k, [key]) !== undefined);
    return misspelt === undefined ? undefined : `did you mean '${key}'? The item has '${misspelt}'`;
  }

  valueCtx(key: string): Context {
    return { type: 'value for', name: key, loc: this.valueLoc(key) };
  }

  /** decode_val: the raw non-empty scalar text of `key`; undefined only when optional and absent. */
  scalar(key: string, optional: boolean): string | undefined | Failed {
    const node = this.value(key);
    if (node === FAILED) return FAILED;
    if (node === undefined) {
      return optional ? undefined : this.fail(`Item has no mapping for key '${key}'`, this.ctx, undefined, this.misspeltKeyHint(key));
    }
    if (node === null || kindOf(node) === 'null') return this.fail(`Mapping for key '${key}' is empty`, { ...this.ctx, loc: this.keyLoc(key) });
    if (node.kind !== 'scalar') return this.fail('Value is not a scalar value', this.valueCtx(key));
    const text = node.text;
    if (text === '') return this.fail('Value must be non-empty', this.valueCtx(key));
    return text;
  }

  bool(key: string, optional: boolean): boolean | undefined | Failed {
    const text = this.scalar(key, optional);
    if (text === undefined || text === FAILED) return text;
    const value = decodeBool(text);
    return value ?? this.fail("Can't decode YAML scalar value", this.valueCtx(key), undefined, didYouMean(text, ['true', 'false']));
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
    if (!node || node.kind !== 'seq') return this.fail('Value is not a sequence', valueCtx);
    const values: string[] = [];
    const locs: Loc[] = [];
    for (const raw of node.items) {
      const element = this.file.deref(raw, valueCtx.loc);
      if (element === FAILED) return FAILED;
      const loc = this.file.locOf(raw, valueCtx.loc);
      if (element === null || element.kind !== 'scalar' || element.isNull) return this.fail('sequence value is not scalar', { type: 'list item', name: '', loc });
      values.push(element.text);
      locs.push(loc);
    }
    return { values, locs };
  }
}
