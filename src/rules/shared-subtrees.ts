/**
 * Per-node analysis results for one load. Expanded rules share their macros' subtrees (the very
 * same objects), so validating, checking and printing each subtree once keeps compile time flat
 * however many rules use a macro.
 */
import type { Expr, Span } from '../condition/ast.js';
import {
  compilerHints,
  deprecatedFieldsUsed,
  eventTypeNames,
  isUnrestricted,
  needsNoEvttypeWarning,
  needsNoEvttypeWarningReleased,
  printCanonical,
  resolveEventCodes,
  unsafeNaChecks,
  validateFilter,
  type FieldCatalog,
} from '../condition/index.js';

type FilterError = { message: string; span: Span } | null;
type Hint = { message: string; span: Span };
type Deprecated = { field: string; description: string };
/** A syscall rule's event types: names (null when unrestricted), and whether it matches too many. */
export type EventTypes = { names: string[] | null; tooMany: boolean };
/** The event-type analysis a Falco version does (§7): main has evt.num invariants and no empty-set warning. */
export type EventTypeRules = { evtNumInvariants: boolean; emptySetWarns: boolean };

export class SharedSubtrees {
  private readonly canonical = new WeakMap<Expr, string>();
  private readonly errors = new Map<string, WeakMap<Expr, FilterError>>();
  private readonly hints = new Map<string, WeakMap<Expr, Hint[]>>();
  private readonly deprecated = new WeakMap<Expr, Deprecated[]>();
  private readonly unsafeNa = new WeakMap<Expr, boolean>();
  private readonly eventTypesMemo = new WeakMap<Expr, EventTypes>();
  private readonly deprecatedOnce = new WeakMap<Expr, Deprecated[]>();

  constructor(
    private readonly catalog: FieldCatalog,
    private readonly rules: EventTypeRules,
  ) {}

  /** Falco's canonical form (§6), composed from the children's. */
  printCanonical(expr: Expr): string {
    let text = this.canonical.get(expr);
    if (text !== undefined) return text;
    switch (expr.kind) {
      case 'and':
      case 'or':
        text = `(${expr.operands.map((o) => this.printCanonical(o)).join(` ${expr.kind} `)})`;
        break;
      case 'not':
        text = `not ${this.printCanonical(expr.operand)}`;
        break;
      default:
        text = printCanonical(expr);
    }
    this.canonical.set(expr, text);
    return text;
  }

  /** The first filter error, left to right, as validateFilter gives it. */
  validateFilter(expr: Expr, source: string): FilterError {
    return this.first(perSource(this.errors, source), expr, (leaf) => validateFilter(leaf, source, this.catalog));
  }

  compilerHints(expr: Expr, source: string): Hint[] {
    return this.all(perSource(this.hints, source), expr, (leaf) => compilerHints(leaf, this.catalog, source));
  }

  /** Deprecated fields used, each once, in order of first use. */
  deprecatedFieldsUsed(expr: Expr): Deprecated[] {
    let once = this.deprecatedOnce.get(expr);
    if (once === undefined) {
      const seen = new Set<string>();
      once = this.all(this.deprecated, expr, (leaf) => deprecatedFieldsUsed(leaf, this.catalog)).filter((d) => !seen.has(d.field) && seen.add(d.field));
      this.deprecatedOnce.set(expr, once);
    }
    return once;
  }

  /** Event types of a whole (expanded) syscall condition; callers copy `names` before handing it out. */
  eventTypes(expr: Expr): EventTypes {
    let types = this.eventTypesMemo.get(expr);
    if (types === undefined) {
      const codes = resolveEventCodes(expr, this.catalog, { evtNumInvariants: this.rules.evtNumInvariants });
      const tooMany = this.rules.emptySetWarns ? needsNoEvttypeWarningReleased(codes) : needsNoEvttypeWarning(codes);
      types = { names: isUnrestricted(codes) ? null : eventTypeNames(codes, this.catalog), tooMany };
      this.eventTypesMemo.set(expr, types);
    }
    return types;
  }

  hasUnsafeNaCheck(expr: Expr): boolean {
    let found = this.unsafeNa.get(expr);
    if (found !== undefined) return found;
    if (expr.kind === 'and' || expr.kind === 'or') found = expr.operands.some((o) => this.hasUnsafeNaCheck(o));
    else if (expr.kind === 'not') found = this.hasUnsafeNaCheck(expr.operand);
    else found = unsafeNaChecks(expr).length > 0;
    this.unsafeNa.set(expr, found);
    return found;
  }

  private first(memo: WeakMap<Expr, FilterError>, expr: Expr, leaf: (e: Expr) => FilterError): FilterError {
    const known = memo.get(expr);
    if (known !== undefined) return known;
    let result: FilterError = null;
    if (expr.kind === 'and' || expr.kind === 'or') {
      for (const o of expr.operands) if ((result = this.first(memo, o, leaf)) !== null) break;
    } else if (expr.kind === 'not') {
      result = this.first(memo, expr.operand, leaf);
    } else {
      result = leaf(expr);
    }
    memo.set(expr, result);
    return result;
  }

  private all<T>(memo: WeakMap<Expr, T[]>, expr: Expr, leaf: (e: Expr) => T[]): T[] {
    const known = memo.get(expr);
    if (known !== undefined) return known;
    let result: T[];
    if (expr.kind === 'and' || expr.kind === 'or') result = expr.operands.flatMap((o) => this.all(memo, o, leaf));
    else if (expr.kind === 'not') result = this.all(memo, expr.operand, leaf);
    else result = leaf(expr);
    memo.set(expr, result);
    return result;
  }
}

function perSource<T>(bySource: Map<string, WeakMap<Expr, T>>, source: string): WeakMap<Expr, T> {
  let memo = bySource.get(source);
  if (memo === undefined) bySource.set(source, (memo = new WeakMap()));
  return memo;
}
