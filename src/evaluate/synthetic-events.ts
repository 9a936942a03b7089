/**
 * Synthetic events for benchmarks and replay corpora, drawn from the rules themselves: values are
 * taken from the constants the conditions compare against, so events hit and miss realistically.
 * `satisfyingEvent` walks a condition with a wanted truth value and picks field values that make
 * each check come out that way (first assignment of a field wins; callers verify the result).
 * Seeded, so a corpus is the same on every run.
 */
import type { BinaryCheck, Expr } from '../condition/ast.js';
import { fieldKey, type FalcoEvent, type FieldValue, type Scalar } from './event.js';
import { valueKindOf, type FieldTypeResolver, type ValueKind } from './field-types.js';

/** A small seeded PRNG (mulberry32): deterministic corpora without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Constants each field is compared against anywhere in the conditions, by event key. */
export function collectFieldConstants(exprs: readonly Expr[]): Map<string, string[]> {
  const pool = new Map<string, Set<string>>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'and':
      case 'or':
        e.operands.forEach(visit);
        return;
      case 'not':
        visit(e.operand);
        return;
      case 'binary-check': {
        if (e.left.kind !== 'field') return;
        const key = fieldKey(e.left.name, e.left.arg);
        const values = e.right.kind === 'value' ? [e.right.value] : e.right.kind === 'list' ? e.right.items.map((i) => i.value) : [];
        let set = pool.get(key);
        if (!set) pool.set(key, (set = new Set()));
        for (const v of values) set.add(v);
        return;
      }
      default:
        return;
    }
  };
  exprs.forEach(visit);
  return new Map([...pool].map(([k, s]) => [k, [...s]]));
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** A value of the kind that matches no constant (with high probability). */
export function noiseValue(kind: ValueKind, rand: () => number): Scalar {
  switch (kind) {
    case 'number':
      return 100000 + Math.floor(rand() * 1000000);
    case 'bool':
      return rand() < 0.5;
    case 'ip':
    case 'net':
      return `203.0.113.${Math.floor(rand() * 254) + 1}`;
    default:
      return `zz${Math.floor(rand() * 1e9).toString(36)}`;
  }
}

function truthyValue(check: BinaryCheck, kind: ValueKind, rand: () => number): Scalar | undefined {
  const items = check.right.kind === 'value' ? [check.right.value] : check.right.kind === 'list' ? check.right.items.map((i) => i.value) : [];
  if (items.length === 0) return check.op === '!=' ? noiseValue(kind, rand) : undefined;
  const v = pick(rand, items);
  if (kind === 'number') {
    const n = Number(v);
    switch (check.op) {
      case '<':
        return n - 1;
      case '>':
        return n + 1;
      case '!=':
        return n + 1;
      default:
        return n;
    }
  }
  if (kind === 'bool') return check.op === '!=' ? v !== 'true' : v === 'true';
  if (kind === 'ip' || kind === 'net') return check.op === '!=' ? noiseValue(kind, rand) : v.replace(/\/\d+$/, '');
  switch (check.op) {
    case '!=':
      return noiseValue(kind, rand);
    case 'contains':
    case 'icontains':
    case 'bcontains':
      return `a${v}b`;
    case 'startswith':
    case 'pmatch':
      return v.endsWith('/') ? `${v}x` : `${v}/x`;
    case 'endswith':
      return `/x${v}`;
    case 'glob':
    case 'iglob':
      return v
        .replace(/\*/g, 'x')
        .replace(/\?/g, 'y')
        .replace(/\[!?([^\]])[^\]]*\]/g, '$1');
    case 'regex':
      return undefined;
    default:
      return v;
  }
}

/**
 * Fills `ev` so that `expr` tends towards `want`; fields already set are kept. Returns the event
 * (the caller evaluates it: conflicting assignments can defeat the aim).
 */
export function satisfyingEvent(
  expr: Expr,
  want: boolean,
  resolve: FieldTypeResolver,
  rand: () => number,
  ev: Record<string, FieldValue> = {},
): Record<string, FieldValue> {
  const walk = (e: Expr, w: boolean): void => {
    switch (e.kind) {
      case 'not':
        walk(e.operand, !w);
        return;
      case 'and':
      case 'or': {
        const all = (e.kind === 'and') === w;
        if (all) e.operands.forEach((o) => walk(o, w));
        else walk(pick(rand, e.operands), w);
        return;
      }
      case 'unary-check':
        if (e.left.kind === 'field') {
          const key = fieldKey(e.left.name, e.left.arg);
          if (!(key in ev)) ev[key] = w ? noiseValue(valueKindOf(resolve(e.left.name, e.left.arg)?.type ?? 'CHARBUF'), rand) : null;
        }
        return;
      case 'binary-check': {
        if (e.left.kind !== 'field') return;
        const key = fieldKey(e.left.name, e.left.arg);
        if (key in ev) return;
        const type = resolve(e.left.name, e.left.arg);
        const kind = valueKindOf(type?.type ?? 'CHARBUF');
        const value = w ? truthyValue(e, kind, rand) : noiseValue(kind, rand);
        if (value === undefined) return;
        ev[key] = type?.list ? [value] : value;
        return;
      }
      default:
        return;
    }
  };
  walk(expr, want);
  return ev;
}

/** Completes an event with a value for every key in `keys` it lacks: a pool constant with probability `constantRate`, noise otherwise. */
export function completeEvent(
  ev: Record<string, FieldValue>,
  keys: readonly string[],
  pool: ReadonlyMap<string, readonly string[]>,
  kindOf: (key: string) => ValueKind,
  rand: () => number,
  constantRate = 0.5,
): FalcoEvent {
  for (const key of keys) {
    if (key in ev) continue;
    const constants = pool.get(key);
    const kind = kindOf(key);
    ev[key] = constants && constants.length > 0 && rand() < constantRate ? coerce(pick(rand, constants), kind) : noiseValue(kind, rand);
  }
  return ev;
}

function coerce(v: string, kind: ValueKind): Scalar {
  if (kind === 'number') {
    const n = Number(v);
    return Number.isNaN(n) ? 0 : n;
  }
  if (kind === 'bool') return v === 'true';
  if (kind === 'net') return v.replace(/\/\d+$/, '');
  return v;
}

/** `%proc.name`, `%proc.aname[2]`, `%evt.arg.flags` in an output format: the fields Falco puts in output_fields. */
export function outputFieldKeys(output: string): string[] {
  return [...new Set([...output.matchAll(/%([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+(?:\[[^\]]*\])?)/g)].map((m) => m[1]))];
}
