/**
 * One comparison, as libsinsp's flt_compare does it for each kind of value, turned into a
 * closure over a constant right-hand side. Scalars arrive as the event carries them (string,
 * number or boolean) and are coerced to the field's kind here.
 */
import type { BinaryOperator, OperatorModifier } from '../condition/ast.js';
import type { Scalar } from './event.js';
import type { ValueKind } from './field-types.js';
import { compileRegex } from '../condition/index.js';
import { compileGlob, compilePathPrefixes } from './glob.js';
import { ipEquals, ipInNetwork, parseIpAddress, parseIpNetwork, type IpAddress } from './ip.js';

/** A test of one left-hand value; false when the value cannot be read as the field's kind. */
export type ValueTest = (value: Scalar) => boolean;

export type CompareResult = { ok: true; test: ValueTest } | { ok: false; message: string };

/** Numbers as libs parses them: decimal (optionally signed or fractional) or 0x hex. */
export function toNumber(value: Scalar): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const t = value.trim();
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t, 16);
  if (/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return Number.NaN;
}

export function toBool(value: Scalar): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Case folding as C's tolower/toupper do it: ASCII letters only. */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}
export function asciiUpper(s: string): string {
  return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s;
}

function str(value: Scalar): string {
  return typeof value === 'string' ? value : String(value);
}

function hexBytes(hex: string): Buffer | undefined {
  return /^([0-9a-fA-F]{2})*$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/** A comparison against one constant operand (no modifiers, no lists). */
export function compileScalarCompare(op: BinaryOperator, kind: ValueKind, rhs: string): CompareResult {
  switch (kind) {
    case 'number': {
      const r = toNumber(rhs);
      if (Number.isNaN(r)) return { ok: false, message: `'${rhs}' is not a number` };
      switch (op) {
        case '=':
        case '==':
        case 'in':
        case 'intersects':
          return ok((v) => toNumber(v) === r);
        case '!=':
          return ok((v) => {
            const n = toNumber(v);
            return !Number.isNaN(n) && n !== r;
          });
        case '<':
          return ok((v) => toNumber(v) < r);
        case '<=':
          return ok((v) => toNumber(v) <= r);
        case '>':
          return ok((v) => toNumber(v) > r);
        case '>=':
          return ok((v) => toNumber(v) >= r);
        default:
          return notSupported(op, 'numeric');
      }
    }
    case 'bool': {
      const r = toBool(rhs);
      if (r === undefined) return { ok: false, message: `'${rhs}' is not a boolean (true or false)` };
      switch (op) {
        case '=':
        case '==':
        case 'in':
        case 'intersects':
          return ok((v) => toBool(v) === r);
        case '!=':
          return ok((v) => {
            const b = toBool(v);
            return b !== undefined && b !== r;
          });
        default:
          return notSupported(op, 'numeric');
      }
    }
    case 'ip':
    case 'net':
      return compileIpCompare(op, kind, rhs);
    case 'buffer':
    case 'string':
      return compileStringCompare(op, rhs);
  }
}

function compileIpCompare(op: BinaryOperator, kind: 'ip' | 'net', rhs: string): CompareResult {
  const negate = op === '!=';
  if (!negate && op !== '=' && op !== '==' && op !== 'in' && op !== 'intersects') {
    return notSupported(op, 'ip address and network');
  }
  const read = (v: Scalar): IpAddress | undefined => parseIpAddress(str(v));
  if (kind === 'net' || rhs.includes('/')) {
    const net = parseIpNetwork(rhs);
    if (!net) return { ok: false, message: `'${rhs}' is not an IP network` };
    return ok((v) => {
      const a = read(v);
      return a !== undefined && ipInNetwork(a, net) !== negate;
    });
  }
  const addr = parseIpAddress(rhs);
  if (!addr) return { ok: false, message: `'${rhs}' is not an IP address` };
  return ok((v) => {
    const a = read(v);
    return a !== undefined && ipEquals(a, addr) !== negate;
  });
}

function compileStringCompare(op: BinaryOperator, rhs: string): CompareResult {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return ok((v) => str(v) === rhs);
    case '!=':
      return ok((v) => str(v) !== rhs);
    case 'contains':
      return ok((v) => str(v).includes(rhs));
    case 'icontains': {
      const r = asciiLower(rhs);
      return ok((v) => asciiLower(str(v)).includes(r));
    }
    case 'startswith':
      return ok((v) => str(v).startsWith(rhs));
    case 'endswith':
      return ok((v) => str(v).endsWith(rhs));
    case 'glob':
    case 'iglob': {
      const match = compileGlob(rhs, op === 'iglob');
      return ok((v) => match(str(v)));
    }
    case 'regex': {
      const re = compileRegex(rhs);
      if (!re.ok) return { ok: false, message: re.message };
      return ok((v) => re.test(str(v)));
    }
    case 'pmatch': {
      const match = compilePathPrefixes([rhs]);
      return ok((v) => match(str(v)));
    }
    case 'bcontains':
    case 'bstartswith': {
      const bytes = hexBytes(rhs);
      if (!bytes) return { ok: false, message: 'bcontains and bstartswith operator support hex strings only' };
      return op === 'bcontains'
        ? ok((v) => Buffer.from(str(v), 'utf8').includes(bytes))
        : ok((v) => Buffer.from(str(v), 'utf8').subarray(0, bytes.length).equals(bytes));
    }
    case '<':
      return ok((v) => str(v) < rhs);
    case '<=':
      return ok((v) => str(v) <= rhs);
    case '>':
      return ok((v) => str(v) > rhs);
    case '>=':
      return ok((v) => str(v) >= rhs);
  }
}

/**
 * A comparison against a list: `in`/`intersects`/`pmatch (…)` (any member matches), or
 * `<op> oneof|anyof|allof (…)` (exactly one, at least one, every member).
 */
export function compileListCompare(op: BinaryOperator, kind: ValueKind, items: readonly string[], modifier?: OperatorModifier): CompareResult {
  if (modifier === undefined && (op === 'in' || op === 'intersects') && (kind === 'string' || kind === 'buffer')) {
    const set = new Set(items);
    return ok((v) => set.has(str(v)));
  }
  if (modifier === undefined && op === 'pmatch') {
    const match = compilePathPrefixes(items);
    return ok((v) => match(str(v)));
  }
  const tests: ValueTest[] = [];
  for (const item of items) {
    const c = compileScalarCompare(modifier === undefined ? '=' : op, kind, item);
    if (!c.ok) return c;
    tests.push(c.test);
  }
  switch (modifier) {
    case undefined:
    case 'anyof':
      return ok((v) => tests.some((t) => t(v)));
    case 'allof':
      return ok((v) => tests.every((t) => t(v)));
    case 'oneof':
      return ok((v) => {
        let n = 0;
        for (const t of tests) if (t(v) && ++n > 1) return false;
        return n === 1;
      });
  }
}

function ok(test: ValueTest): CompareResult {
  return { ok: true, test };
}

function notSupported(op: string, what: string): CompareResult {
  return { ok: false, message: `'${op}' operator not supported for ${what} filters` };
}
