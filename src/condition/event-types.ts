/**
 * Event-type resolution (docs/falco-rules-semantics.md §7): the set of event codes a syscall rule
 * can match, as libs computes it, kept as a bitset over the event table.
 */
import type { Expr, BinaryCheck, UnaryCheck, Literal } from './ast.js';
import type { FieldCatalog } from './catalog/index.js';
import { ALSO_LISTED, ASYNC_EVENT_CODE, CODE_NAMES, EVENT_CODE_COUNT, GENERIC_CODES, GENERIC_UNLISTED, SYSCALL_NAMES } from './catalog/generated/events.js';

/** A set of event codes 0..EVENT_CODE_COUNT-1, one bit per code. */
export interface EventCodeSet {
  readonly words: Uint32Array;
}

const WORDS = Math.ceil(EVENT_CODE_COUNT / 32);
const FIRST_NAMED_CODE = 2;
const NO_EVTTYPE_THRESHOLD = 100;

const CODES_BY_NAME: ReadonlyMap<string, readonly number[]> = (() => {
  const map = new Map<string, number[]>();
  for (let code = FIRST_NAMED_CODE; code < EVENT_CODE_COUNT; code++) {
    const name = CODE_NAMES[code] ?? '';
    const codes = map.get(name) ?? [];
    codes.push(code);
    map.set(name, codes);
  }
  return map;
})();
const TABLE_NAMES: ReadonlySet<string> = new Set(CODE_NAMES);
const SYSCALLS: ReadonlySet<string> = new Set(SYSCALL_NAMES);
const ALSO_LISTED_BY_NAME: ReadonlyMap<string, readonly string[]> = new Map(ALSO_LISTED);
const GENERIC_LISTED: readonly string[] = (() => {
  const unlisted = new Set(GENERIC_UNLISTED);
  return SYSCALL_NAMES.filter((n) => !TABLE_NAMES.has(n) && !unlisted.has(n));
})();

function emptySet(): Uint32Array {
  return new Uint32Array(WORDS);
}

function universe(): Uint32Array {
  const w = new Uint32Array(WORDS).fill(0xffffffff);
  const extra = WORDS * 32 - EVENT_CODE_COUNT;
  w[WORDS - 1] = 0xffffffff >>> extra;
  return w;
}

const UNIVERSE = universe();

function addCode(w: Uint32Array, code: number): void {
  w[code >>> 5] = (w[code >>> 5] ?? 0) | (1 << (code & 31));
}

function hasCode(w: Uint32Array, code: number): boolean {
  return ((w[code >>> 5] ?? 0) & (1 << (code & 31))) !== 0;
}

function complement(w: Uint32Array): Uint32Array {
  const r = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) r[i] = ~(w[i] ?? 0) & (UNIVERSE[i] ?? 0);
  return r;
}

function combine(sets: Uint32Array[], union: boolean): Uint32Array {
  const r = union ? emptySet() : UNIVERSE.slice();
  for (const s of sets) {
    for (let i = 0; i < WORDS; i++) r[i] = union ? (r[i] ?? 0) | (s[i] ?? 0) : (r[i] ?? 0) & (s[i] ?? 0);
  }
  return r;
}

/** libs names_to_event_set: table codes from 2 on, asyncevent for plugin async names, generic codes once for leftover syscall names. */
export function namesToEventCodes(names: readonly string[], catalog: FieldCatalog): EventCodeSet {
  const w = emptySet();
  let genericNeeded = false;
  for (const name of names) {
    const codes = CODES_BY_NAME.get(name);
    let matched = codes !== undefined;
    if (codes !== undefined) for (const c of codes) addCode(w, c);
    if (catalog.asyncEventNames.has(name)) {
      addCode(w, ASYNC_EVENT_CODE);
      matched = true;
    }
    if (!matched && SYSCALLS.has(name)) genericNeeded = true;
  }
  if (genericNeeded) for (const c of GENERIC_CODES) addCode(w, c);
  return { words: w };
}

interface Leaf {
  codes: Uint32Array;
  /** Type-restricting leaves are complemented under negation; neutral ones stay the universe. */
  restricting: boolean;
}

const NEUTRAL: Leaf = { codes: UNIVERSE, restricting: false };
const EVTTYPE_OPS = new Set(['=', '==', '!=', 'in']);

function literalValues(check: BinaryCheck): string[] | undefined {
  const right = check.right;
  if (right.kind === 'value') return [right.value];
  if (right.kind === 'list') return right.items.map((i: Literal) => i.value);
  return undefined;
}

function evtNumLeaf(check: BinaryCheck): Leaf | undefined {
  const values = literalValues(check);
  if (values === undefined) return undefined;
  const nums = values.map((v) => (/^\+?[0-9]+$/.test(v) ? Number(v) : Number.NaN));
  const one = values.length === 1 ? nums[0] : undefined;
  const empty = { codes: emptySet(), restricting: true };
  const all = { codes: UNIVERSE, restricting: true };
  switch (check.op) {
    case '=':
    case '==':
      return check.right.kind === 'value' && one === 0 ? empty : undefined;
    case 'in':
      return check.right.kind === 'list' && nums.every((n) => n === 0) ? empty : undefined;
    case '<':
      return one === 0 || one === 1 ? empty : undefined;
    case '<=':
      return one === 0 ? empty : undefined;
    case '!=':
      return check.right.kind === 'value' && one === 0 ? all : undefined;
    case '>':
      return one === 0 ? all : undefined;
    case '>=':
      return one === 0 || one === 1 ? all : undefined;
    default:
      return undefined;
  }
}

export interface ResolveOptions {
  /** [HEAD] evt.num >= 1 invariants (`evt.num = 0` is empty); Falco releases up to 0.44.1 lack them. Default true. */
  evtNumInvariants?: boolean;
  /** Codes of subtrees already resolved, by node and negation (for one catalog and these options); the sets are never modified. */
  memo?: EventCodeMemo;
}

export interface EventCodeMemo {
  get(expr: Expr, negated: boolean): Uint32Array | undefined;
  set(expr: Expr, negated: boolean, codes: Uint32Array): void;
}

function binaryLeaf(check: BinaryCheck, catalog: FieldCatalog, options: ResolveOptions): Leaf {
  const left = check.left;
  if (left.kind !== 'field' || left.arg !== undefined) return NEUTRAL;
  if (left.name === 'evt.num') return options.evtNumInvariants === false ? NEUTRAL : (evtNumLeaf(check) ?? NEUTRAL);
  if ((left.name !== 'evt.type' && left.name !== 'syscall.type') || !EVTTYPE_OPS.has(check.op)) return NEUTRAL;
  const values = literalValues(check);
  if (values === undefined) return NEUTRAL;
  const codes = namesToEventCodes(values, catalog).words;
  return { codes: check.op === '!=' ? complement(codes) : codes, restricting: true };
}

function unaryLeaf(check: UnaryCheck): Leaf {
  const left = check.left;
  const isEvtType = left.kind === 'field' && left.arg === undefined && left.name === 'evt.type';
  return isEvtType ? { codes: UNIVERSE, restricting: true } : NEUTRAL;
}

function visit(expr: Expr, negated: boolean, catalog: FieldCatalog, options: ResolveOptions): Uint32Array {
  const known = options.memo?.get(expr, negated);
  if (known !== undefined) return known;
  let codes: Uint32Array;
  switch (expr.kind) {
    case 'and':
      codes = combine(
        expr.operands.map((e) => visit(e, negated, catalog, options)),
        negated,
      );
      break;
    case 'or':
      codes = combine(
        expr.operands.map((e) => visit(e, negated, catalog, options)),
        !negated,
      );
      break;
    case 'not':
      codes = visit(expr.operand, !negated, catalog, options);
      break;
    case 'macro-ref':
      return UNIVERSE;
    case 'unary-check':
    case 'binary-check': {
      const leaf = expr.kind === 'unary-check' ? unaryLeaf(expr) : binaryLeaf(expr, catalog, options);
      codes = negated && leaf.restricting ? complement(leaf.codes) : leaf.codes;
    }
  }
  options.memo?.set(expr, negated, codes);
  return codes;
}

/** The event codes a compiled condition can match (§7), negation pushed to the leaves. */
export function resolveEventCodes(expr: Expr, catalog: FieldCatalog, options: ResolveOptions = {}): EventCodeSet {
  return { words: visit(expr, false, catalog, options) };
}

export function countEventCodes(set: EventCodeSet): number {
  let n = 0;
  for (const word of set.words) {
    let x = word;
    while (x !== 0) {
      x &= x - 1;
      n++;
    }
  }
  return n;
}

/** True when the set holds every code of the event table. */
export function isUnrestricted(set: EventCodeSet): boolean {
  return countEventCodes(set) === EVENT_CODE_COUNT;
}

/** LOAD_NO_EVTTYPE as Falco's main branch decides it: more than 100 codes. */
export function needsNoEvttypeWarning(set: EventCodeSet): boolean {
  return countEventCodes(set) > NO_EVTTYPE_THRESHOLD;
}

/** LOAD_NO_EVTTYPE as Falco releases up to 0.44.1 decide it: more than 100 codes, or none. */
export function needsNoEvttypeWarningReleased(set: EventCodeSet): boolean {
  const n = countEventCodes(set);
  return n > NO_EVTTYPE_THRESHOLD || n === 0;
}

/**
 * The event names Falco lists for a syscall rule: names of the codes in the set, `asyncevent`
 * (always indexed), and for the generic codes the syscall names routed to them; sorted.
 */
export function eventTypeNames(set: EventCodeSet, _catalog: FieldCatalog): string[] {
  const names = new Set<string>(['asyncevent']);
  for (let code = FIRST_NAMED_CODE; code < EVENT_CODE_COUNT; code++) {
    if (!hasCode(set.words, code)) continue;
    const name = CODE_NAMES[code] ?? '';
    names.add(name);
    for (const also of ALSO_LISTED_BY_NAME.get(name) ?? []) names.add(also);
  }
  if (GENERIC_CODES.some((c) => hasCode(set.words, c))) for (const n of GENERIC_LISTED) names.add(n);
  return [...names].sort();
}

/** libs evt.type value validation: a name of the event table, a syscall, or a loaded plugin's async event. */
export function validateEventTypeName(name: string, catalog: FieldCatalog): string | null {
  if (TABLE_NAMES.has(name) || SYSCALLS.has(name) || catalog.asyncEventNames.has(name)) return null;
  return `unknown event type ${name}`;
}
