/**
 * An added exclusion clause as values of a rule's existing `exceptions:` entries (§2.6): `and not
 * f in (a, b)` goes to a single-form entry on `f`, `and not (f1 = a and f2 = b)` (or several such
 * tuples joined by `or`) to a list-form entry on the same fields. What cannot be mapped stays a
 * condition clause.
 */
import { parseCondition, type BinaryCheck, type Expr } from '../condition/index.js';
import type { ExceptionDef, ExceptionValue } from '../rules/index.js';

export interface ExceptionValues {
  /** The name of the rule's exception the values are appended to. */
  name: string;
  values: ExceptionValue[];
}

export interface ExclusionSplit {
  exceptions: ExceptionValues[];
  /** What is left to append to the condition (`and …`), or null when every exclusion became exception values. */
  clause: string | null;
}

interface Check {
  field: string;
  op: string;
  /** The literal values on the right-hand side: one for a scalar operand, the items of a list. */
  values: string[];
  list: boolean;
}

const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

/**
 * Maps the `and not …` parts of `clause` (text appended to a condition) onto `exceptions`; null when
 * none of them maps, so the clause is best kept as a condition append.
 */
export function exclusionsAsExceptions(clause: string, exceptions: readonly ExceptionDef[]): ExclusionSplit | null {
  const body = /^and[\s(]/.exec(clause) ? clause.slice(3) : null;
  if (body === null) return null;
  const parsed = parseCondition(body);
  if (!parsed.ok) return null;
  const parts = parsed.expr.kind === 'and' ? parsed.expr.operands : [parsed.expr];
  const found = new Map<string, ExceptionValues>();
  const left: string[] = [];
  for (const part of parts) {
    const mapped = part.kind === 'not' ? mapExclusion(part.operand, body, exceptions) : null;
    if (mapped === null) {
      left.push(body.slice(part.span.start, part.span.end));
      continue;
    }
    const entry = found.get(mapped.name);
    if (entry) entry.values.push(...mapped.values);
    else found.set(mapped.name, mapped);
  }
  if (found.size === 0) return null;
  return { exceptions: [...found.values()], clause: left.length === 0 ? null : `and ${left.join(' and ')}` };
}

/** The exclusion `not <expr>` as values of the first exception whose fields and comparisons it matches. */
function mapExclusion(expr: Expr, text: string, exceptions: readonly ExceptionDef[]): ExceptionValues | null {
  const tuples = (expr.kind === 'or' ? expr.operands : [expr]).map((t) => tupleOf(t, text));
  if (tuples.some((t) => t === null)) return null;
  for (const e of exceptions) {
    const values = valuesFor(e, tuples as Check[][]);
    if (values !== null) return { name: e.name, values };
  }
  return null;
}

function tupleOf(expr: Expr, text: string): Check[] | null {
  const checks = expr.kind === 'and' ? expr.operands : [expr];
  const out: Check[] = [];
  for (const c of checks) {
    const check = c.kind === 'binary-check' ? checkOf(c, text) : null;
    if (check === null) return null;
    out.push(check);
  }
  return out;
}

function checkOf(c: BinaryCheck, text: string): Check | null {
  const field = text.slice(c.left.span.start, c.left.span.end).replace(/\s+/g, '');
  const op = c.modifier ? `${c.op} ${c.modifier}` : c.op;
  if (c.right.kind === 'value') return { field, op, values: [c.right.value], list: false };
  if (c.right.kind === 'list') return { field, op, values: c.right.items.map((i) => i.value), list: true };
  return null;
}

function valuesFor(e: ExceptionDef, tuples: Check[][]): ExceptionValue[] | null {
  if (typeof e.fields === 'string') {
    const field = e.fields.replace(/\s+/g, '');
    const comp = typeof e.comps === 'string' && e.comps.trim() !== '' ? e.comps.trim() : 'in';
    const values: string[] = [];
    for (const tuple of tuples) {
      const [check] = tuple;
      if (tuple.length !== 1 || check.field !== field || !fitsListComp(check, comp)) return null;
      values.push(...check.values);
    }
    return values.every((v) => survivesQuoting(field, v)) ? values : null;
  }
  if (!Array.isArray(e.fields) || e.fields.length === 0) return null;
  const fields = e.fields.map((f) => f.replace(/\s+/g, ''));
  const comps = Array.isArray(e.comps) && e.comps.length > 0 ? e.comps.map((c) => c.trim()) : fields.map(() => '=');
  if (comps.length !== fields.length || new Set(fields).size !== fields.length) return null;
  const values: ExceptionValue[] = [];
  for (const tuple of tuples) {
    if (tuple.length !== fields.length) return null;
    const row: ExceptionValue[] = [];
    for (let k = 0; k < fields.length; k++) {
      const check = tuple.find((c) => c.field === fields[k]);
      if (!check || !survivesAll(check)) return null;
      const comp = comps[k];
      if (isListComp(comp)) {
        if (!fitsListComp(check, comp)) return null;
        row.push([...check.values]);
      } else {
        if (check.list || sameOperator(check.op, comp) === false) return null;
        row.push(check.values[0]);
      }
    }
    values.push(row);
  }
  return values;
}

function isListComp(comp: string): boolean {
  return LIST_OPERATORS.has(comp) || comp.includes(' ');
}

/** `f in (a, b)` and `f = a` both fit an `in` exception; other list comparisons must be the same operator. */
function fitsListComp(check: Check, comp: string): boolean {
  if (comp === 'in') return check.op === 'in' ? check.list : !check.list && (check.op === '=' || check.op === '==');
  return check.list && check.op === comp;
}

function sameOperator(a: string, b: string): boolean {
  const norm = (op: string) => (op === '==' ? '=' : op);
  return norm(a) === norm(b);
}

function survivesAll(check: Check): boolean {
  return check.values.every((v) => survivesQuoting(check.field, v));
}

/**
 * Whether Falco's exception quoting (`quote_item`: double quotes added only around a value with a
 * blank, nothing escaped) gives back this value: parsed in list position, the strictest one.
 */
function survivesQuoting(field: string, value: string): boolean {
  const quoted = value.includes(' ') && !value.startsWith('"') && !value.startsWith("'") ? `"${value}"` : value;
  const parsed = parseCondition(`${field} in (${quoted})`);
  return (
    parsed.ok &&
    parsed.expr.kind === 'binary-check' &&
    parsed.expr.right.kind === 'list' &&
    parsed.expr.right.items.length === 1 &&
    parsed.expr.right.items[0].value === value
  );
}
