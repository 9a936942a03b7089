/**
 * What libs' filter compiler rejects in a parsed condition (LOAD_ERR_COMPILE_CONDITION), plus the
 * condition and output checks Falco runs around it (§8.2, §11).
 */
import type { BinaryCheck, Expr, FieldRef, Span, UnaryCheck } from './ast.js';
import { lookupField, type FieldCatalog } from './catalog/index.js';
import { validateEventTypeName } from './event-types.js';
import { DEPRECATED_FIELD_WARNINGS } from './catalog/generated/fields.js';
import { fieldRefsOf, resolveOperand, type FilterError, type OperandType } from './field-operands.js';
import { compileRegex } from './regex.js';
import { COMPILABLE_NUMERIC_TYPES, IP_TYPES } from './catalog/param-types.js';

const STRING_TYPES = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const LIST_TYPES = new Set(['CHARBUF', 'UINT64', 'RELTIME', 'ABSTIME', 'BOOL', 'IPADDR', 'IPNET']);

const NUMERIC_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists']);
const BOOL_OPS = new Set(['=', '==', '!=', 'in', 'intersects', 'exists']);
const STRING_OPS = new Set([
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'in',
  'exists',
  'icontains',
  'startswith',
  'glob',
  'pmatch',
  'endswith',
  'intersects',
  'iglob',
  'regex',
]);
const BUFFER_OPS = new Set(['=', '==', '!=', 'contains', 'in', 'exists', 'startswith', 'endswith', 'intersects', 'bcontains', 'bstartswith']);
const IP_OPS = new Set(['=', '==', '!=', 'in', 'exists', 'intersects']);
const LIST_OPS = new Set(['in', 'exists', 'intersects']);

/** Values libs parses as numbers (sscanf "%d%c" == 1): blanks, a sign, digits, nothing after. */
const INTEGER = /^\s*[+-]?[0-9]+$/;
const DOUBLE = /^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
/** Ports may be service names (getservbyname), so they are not checked here. */
const UNCHECKED_NUMERIC = new Set(['PORT']);

/** libs flt_is_comparable, in its words. */
function comparabilityError(op: string, t: OperandType): string | null {
  if (op === 'exists') return null;
  if (t.list) {
    if (!LIST_TYPES.has(t.type)) return `list filters are not supported for type '${t.type}'`;
    return LIST_OPS.has(op) ? null : `'${op}' operator not supported list filters`;
  }
  if (COMPILABLE_NUMERIC_TYPES.has(t.type)) return NUMERIC_OPS.has(op) ? null : `'${op}' operator not supported for numeric filters`;
  if (t.type === 'BOOL') return BOOL_OPS.has(op) ? null : `'${op}' operator not supported for numeric filters`;
  if (IP_TYPES.has(t.type)) return IP_OPS.has(op) ? null : `'${op}' operator not supported for ip address and network filters`;
  if (STRING_TYPES.has(t.type)) return STRING_OPS.has(op) ? null : `'${op}' operator not supported for string filters`;
  if (t.type === 'BYTEBUF') return BUFFER_OPS.has(op) ? null : `'${op}' operator not supported for buffer filters`;
  return `'${op}' operator not supported for type '${t.type}'`;
}

function isHex(value: string): boolean {
  return value.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(value);
}

function valueError(check: BinaryCheck, t: OperandType, value: string): string | null {
  const left = check.left;
  if (left.kind === 'field' && left.arg === undefined && left.name === 'evt.type') {
    // checked by the caller with the catalog
    return null;
  }
  if (check.op === 'bcontains' || check.op === 'bstartswith') {
    return isHex(value) ? null : 'filter error: bcontains and bstartswith operator support hex strings only';
  }
  if (check.op === 'regex') {
    const re = compileRegex(value);
    return re.ok ? null : re.message;
  }
  if (!t.list && COMPILABLE_NUMERIC_TYPES.has(t.type) && !UNCHECKED_NUMERIC.has(t.type)) {
    const ok = t.type === 'DOUBLE' ? DOUBLE.test(value) : INTEGER.test(value);
    return ok ? null : `${value} is not a valid number`;
  }
  return null;
}

function checkUnary(check: UnaryCheck, source: string, catalog: FieldCatalog): FilterError | null {
  const left = resolveOperand(check.left, source, catalog);
  if (!left.ok) return left.error;
  const err = comparabilityError(check.op, left.value);
  return err === null ? null : { message: `filter error: ${err}`, span: check.span };
}

function checkBinary(check: BinaryCheck, source: string, catalog: FieldCatalog): FilterError | null {
  const left = resolveOperand(check.left, source, catalog);
  if (!left.ok) return left.error;
  const err = comparabilityError(check.op, left.value);
  if (err !== null) return { message: `filter error: ${err}`, span: check.span };
  const right = check.right;
  if (right.kind === 'field' || right.kind === 'transformer') {
    const r = resolveOperand(right, source, catalog);
    return r.ok ? null : r.error;
  }
  const values = right.kind === 'value' ? [right] : right.items;
  const isEvtType = check.left.kind === 'field' && check.left.arg === undefined && check.left.name === 'evt.type';
  for (const v of values) {
    const message = isEvtType ? validateEventTypeName(v.value, catalog) : valueError(check, left.value, v.value);
    if (message !== null) return { message, span: right.span };
  }
  return null;
}

/** The first error Falco's filter compiler reports for a compiled condition, in its words; null if none. */
export function validateFilter(expr: Expr, source: string, catalog: FieldCatalog): FilterError | null {
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const e of expr.operands) {
        const err = validateFilter(e, source, catalog);
        if (err !== null) return err;
      }
      return null;
    case 'not':
      return validateFilter(expr.operand, source, catalog);
    case 'macro-ref':
      return { message: `filter error: unexpected identifier '${expr.name}'`, span: expr.span };
    case 'unary-check':
      return checkUnary(expr, source, catalog);
    case 'binary-check':
      return checkBinary(expr, source, catalog);
  }
}

/** Every check of a condition, left to right. */
export function checksOf(expr: Expr): (UnaryCheck | BinaryCheck)[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return expr.operands.flatMap(checksOf);
    case 'not':
      return checksOf(expr.operand);
    case 'macro-ref':
      return [];
    case 'unary-check':
    case 'binary-check':
      return [expr];
  }
}

/** Every field reference of a condition, both sides and transformer arguments, left to right. */
export function conditionFields(expr: Expr): FieldRef[] {
  return checksOf(expr).flatMap((c) => {
    const left = fieldRefsOf(c.left);
    if (c.kind === 'unary-check') return left;
    const r = c.right;
    return r.kind === 'field' || r.kind === 'transformer' ? [...left, ...fieldRefsOf(r)] : left;
  });
}

const NA_OPS = new Set(['=', '==', '!=', 'in', 'intersects', 'pmatch']);

/** LOAD_UNSAFE_NA_CHECK: `ka.*` / `jevt.*` fields compared with the literal `<NA>`. */
export function unsafeNaChecks(expr: Expr): Span[] {
  const spans: Span[] = [];
  for (const c of checksOf(expr)) {
    if (c.kind !== 'binary-check' || c.left.kind !== 'field' || !NA_OPS.has(c.op)) continue;
    if (!c.left.name.startsWith('ka.') && !c.left.name.startsWith('jevt.')) continue;
    const r = c.right;
    const values = r.kind === 'value' ? [r.value] : r.kind === 'list' ? r.items.map((i) => i.value) : [];
    if (values.includes('<NA>')) spans.push(c.span);
  }
  return spans;
}

/** LOAD_DEPRECATED_ITEM for conditions: deprecated fields used, by exact name, each once. */
export function deprecatedFieldsUsed(expr: Expr, catalog: FieldCatalog): { field: string; description: string }[] {
  const found = new Map<string, string>();
  for (const ref of conditionFields(expr)) {
    const description = catalog.deprecatedFieldWarnings.get(ref.name);
    if (description !== undefined && !found.has(ref.name)) found.set(ref.name, description);
  }
  return [...found].map(([field, description]) => ({ field, description }));
}

/** LOAD_DEPRECATED_ITEM for outputs: Falco searches the output text for each name as a substring. */
export function deprecatedFieldsInOutput(output: string): string[] {
  return DEPRECATED_FIELD_WARNINGS.map(([name]) => name).filter((n) => output.includes(n));
}

function splitArg(token: string): { name: string; arg?: string } {
  const open = token.indexOf('[');
  if (open > 0 && token.endsWith(']')) return { name: token.slice(0, open), arg: token.slice(open + 1, -1) };
  return { name: token };
}

function resolves(token: string, source: string, catalog: FieldCatalog): boolean {
  const { name, arg } = splitArg(token);
  return lookupField(catalog, source, name, arg).ok;
}

/**
 * LOAD_ERR_COMPILE_OUTPUT for unknown `%field` tokens. Like libs' formatter, a `%token` is the
 * longest prefix that compiles as a field (so `%proc.namex` is proc.name then "x"); `%(field)` must
 * be exact; engine placeholders such as `%container.info` are not fields.
 */
export function validateOutputFields(output: string, source: string, catalog: FieldCatalog): { message: string } | null {
  for (let i = 0; i < output.length; i++) {
    if (output[i] !== '%') continue;
    if (output[i + 1] === '%') {
      i++;
      continue;
    }
    const rest = output.slice(i + 1);
    if (catalog.enginePlaceholders.some((p) => output.startsWith(p, i))) continue;
    if (rest.startsWith('(')) {
      const close = rest.indexOf(')');
      const token = close < 0 ? rest.slice(1) : rest.slice(1, close);
      if (close < 0 || !resolves(token, source, catalog)) return { message: `invalid formatting token ${token}` };
      continue;
    }
    const token = /^\S*/.exec(rest)?.[0] ?? '';
    let ok = false;
    for (let len = token.length; len > 0 && !ok; len--) ok = resolves(token.slice(0, len), source, catalog);
    if (!ok) return { message: `invalid formatting token ${token}` };
  }
  return null;
}
