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
  movedSpan,
  needsNoEvttypeWarning,
  needsNoEvttypeWarningReleased,
  printCanonical,
  resolveEventCodes,
  unsafeNaChecks,
  validateFilter,
  type EventCodeMemo,
  type FieldCatalog,
} from '../condition/index.js';

type FilterError = { message: string; span: Span } | null;
type Hint = { message: string; span: Span };
type Deprecated = { field: string; description: string };
/** A syscall rule's event types: names (null when unrestricted), and whether it matches too many. */
export type EventTypes = { names: string[] | null; tooMany: boolean };
/** The event-type analysis a Falco version does (§7): main has evt.num invariants and no empty-set warning. */
export type EventTypeRules = { evtNumInvariants: boolean; emptySetWarns: boolean };

/** What a rule's compile reports of a (sub)condition, for one source. */
export interface ConditionFacts {
  /** The first filter error, left to right, as validateFilter gives it. */
  error: FilterError;
  hints: Hint[];
  unsafeNaCheck: boolean;
  /** Deprecated fields used, in order of use (repeats kept; see deprecatedOnce). */
  deprecated: Deprecated[];
  /** `deprecated`, each field once, in order of first use; made when first asked for. */
  deprecatedOnce: Deprecated[] | undefined;
}

/**
 * Everything known of one node, in one record: one lookup per node visited, whatever is asked.
 * Facts are per source (a macro's tree can serve rules of several sources); one source is the rule.
 * Every field exists from the start, so all records share one shape whatever is asked first.
 */
class NodeRecord {
  canonical: string | undefined = undefined;
  source: string | undefined = undefined;
  facts: ConditionFacts | undefined = undefined;
  otherSources: Map<string, ConditionFacts> | undefined = undefined;
  eventTypes: EventTypes | undefined = undefined;
  /** The event codes of the subtree, and of its negation. */
  codes: Uint32Array | undefined = undefined;
  negatedCodes: Uint32Array | undefined = undefined;
}

export class SharedSubtrees {
  private readonly records = new WeakMap<Expr, NodeRecord>();
  private readonly codes: EventCodeMemo = {
    get: (expr, negated) => {
      const record = this.records.get(expr);
      return negated ? record?.negatedCodes : record?.codes;
    },
    set: (expr, negated, codes) => {
      const record = this.recordOf(expr);
      if (negated) record.negatedCodes = codes;
      else record.codes = codes;
    },
  };

  constructor(
    private readonly catalog: FieldCatalog,
    private readonly rules: EventTypeRules,
  ) {}

  /** Falco's canonical form (§6), composed from the children's. */
  printCanonical(expr: Expr): string {
    const record = this.recordOf(expr);
    if (record.canonical !== undefined) return record.canonical;
    let text: string;
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
    record.canonical = text;
    return text;
  }

  /** The filter error, compiler hints, unsafe `<NA>` comparisons and deprecated fields of a (sub)condition, composed from its children's. */
  facts(expr: Expr, source: string): ConditionFacts {
    const record = this.recordOf(expr);
    const known = record.source === source ? record.facts : record.otherSources?.get(source);
    if (known !== undefined) return known;
    let facts: ConditionFacts;
    if (expr.kind === 'and' || expr.kind === 'or') {
      facts = { error: null, hints: [], unsafeNaCheck: false, deprecated: [], deprecatedOnce: undefined };
      for (const operand of expr.operands) {
        const more = this.facts(operand, source);
        facts.error ??= more.error;
        facts.unsafeNaCheck ||= more.unsafeNaCheck;
        // most subtrees find nothing: share the children's arrays instead of copying them
        if (more.hints.length > 0) facts.hints = facts.hints.length === 0 ? more.hints : facts.hints.concat(more.hints);
        if (more.deprecated.length > 0) facts.deprecated = facts.deprecated.length === 0 ? more.deprecated : facts.deprecated.concat(more.deprecated);
      }
    } else if (expr.kind === 'not') {
      facts = this.facts(expr.operand, source);
    } else {
      facts = {
        error: validateFilter(expr, source, this.catalog),
        hints: compilerHints(expr, this.catalog, source),
        unsafeNaCheck: unsafeNaChecks(expr).length > 0,
        deprecated: deprecatedFieldsUsed(expr, this.catalog),
        deprecatedOnce: undefined,
      };
    }
    if (record.source === undefined) {
      record.source = source;
      record.facts = facts;
    } else {
      (record.otherSources ??= new Map()).set(source, facts);
    }
    return facts;
  }

  /** Gives `copy`, the same node with every span moved by `delta`, what is known of `original`. */
  moved(original: Expr, copy: Expr, delta: number): void {
    const known = this.records.get(original);
    if (known === undefined) return;
    const record = new NodeRecord();
    record.canonical = known.canonical;
    record.source = known.source;
    record.facts = known.facts && movedFacts(known.facts, delta);
    if (known.otherSources) record.otherSources = new Map([...known.otherSources].map(([source, facts]) => [source, movedFacts(facts, delta)]));
    record.eventTypes = known.eventTypes;
    record.codes = known.codes;
    record.negatedCodes = known.negatedCodes;
    this.records.set(copy, record);
  }

  /** Deprecated fields used, each once, in order of first use. */
  deprecatedOnce(facts: ConditionFacts): Deprecated[] {
    if (facts.deprecatedOnce === undefined) {
      const seen = new Set<string>();
      facts.deprecatedOnce = facts.deprecated.filter((d) => !seen.has(d.field) && seen.add(d.field));
    }
    return facts.deprecatedOnce;
  }

  /** Event types of a whole (expanded) syscall condition; callers copy `names` before handing it out. */
  eventTypes(expr: Expr): EventTypes {
    const record = this.recordOf(expr);
    if (record.eventTypes === undefined) {
      const codes = resolveEventCodes(expr, this.catalog, { evtNumInvariants: this.rules.evtNumInvariants, memo: this.codes });
      const tooMany = this.rules.emptySetWarns ? needsNoEvttypeWarningReleased(codes) : needsNoEvttypeWarning(codes);
      record.eventTypes = { names: isUnrestricted(codes) ? null : eventTypeNames(codes, this.catalog), tooMany };
    }
    return record.eventTypes;
  }

  private recordOf(expr: Expr): NodeRecord {
    let record = this.records.get(expr);
    if (record === undefined) this.records.set(expr, (record = new NodeRecord()));
    return record;
  }
}

/** Facts of a node moved by `delta`: the same, with the spans of its error and hints moved too. */
function movedFacts(facts: ConditionFacts, delta: number): ConditionFacts {
  return {
    error: facts.error && { ...facts.error, span: movedSpan(facts.error.span, delta) },
    hints: facts.hints.map((hint) => ({ ...hint, span: movedSpan(hint.span, delta) })),
    unsafeNaCheck: facts.unsafeNaCheck,
    deprecated: facts.deprecated,
    deprecatedOnce: facts.deprecatedOnce,
  };
}
