/**
 * Field operands (a field, a transformer chain, `val(field)`) compiled into extractors. An
 * extractor returns the operand's values for an event: `undefined` when a field it reads is
 * unknown, `null` when Falco would extract nothing (`<NA>`), else the values (one for a plain
 * field; several for a multi-valued one).
 */
import type { FieldOperand, FieldRef, Literal, Transformer, TransformerArg, TransformerList } from '../condition/ast.js';
import { fieldKey, type FalcoEvent, type FieldValue, type Scalar } from './event.js';
import type { FieldType, FieldTypeResolver } from './field-types.js';
import { asciiLower, asciiUpper } from './compare.js';

export type Extracted = undefined | null | readonly Scalar[];
/** Reads an event in the representation the condition was compiled for (a record, or a row of slots). */
export type Extractor = (ev: unknown) => Extracted;

/** An event as an array indexed by field slot (see field-layout.ts): the evaluator's fast form. */
export type EventRow = readonly (FieldValue | undefined)[];

/** How compiled checks reach a field: by key in a record, or by slot in a row. */
export type FieldAccess = { mode: 'record' } | { mode: 'row'; slotOf: (key: string) => number };

export const RECORD_ACCESS: FieldAccess = { mode: 'record' };

export interface CompiledOperand {
  extract: Extractor;
  /** The operand's type after transformers. */
  type: FieldType;
  /** Every event key the operand reads. */
  keys: string[];
  /** Set when the operand is one field read unchanged: checks on it skip the extractor. */
  plainKey?: string;
}

const STRING: FieldType = { type: 'CHARBUF', list: false };

function toExtracted(v: FieldValue | undefined): Extracted {
  if (v === undefined || v === null) return v;
  if (typeof v === 'object') return v.length === 0 ? null : v;
  return [v];
}

export function compileOperand(operand: FieldOperand, resolve: FieldTypeResolver, access: FieldAccess = RECORD_ACCESS): CompiledOperand {
  return operand.kind === 'field' ? compileField(operand, resolve, access) : compileTransformer(operand, resolve, access);
}

function compileField(ref: FieldRef, resolve: FieldTypeResolver, access: FieldAccess): CompiledOperand {
  const key = fieldKey(ref.name, ref.arg);
  const type = resolve(ref.name, ref.arg) ?? STRING;
  if (access.mode === 'row') {
    const slot = access.slotOf(key);
    return { extract: (ev) => toExtracted((ev as EventRow)[slot]), type, keys: [key], plainKey: key };
  }
  return { extract: (ev) => toExtracted((ev as FalcoEvent)[key]), type, keys: [key], plainKey: key };
}

function compileArg(arg: TransformerArg, resolve: FieldTypeResolver, access: FieldAccess): CompiledOperand {
  switch (arg.kind) {
    case 'field':
      return compileField(arg, resolve, access);
    case 'transformer':
      return compileTransformer(arg, resolve, access);
    case 'value':
      return constant(arg);
    case 'transformer-list':
      return compileList(arg, resolve, access);
  }
}

function constant(lit: Literal): CompiledOperand {
  const values = [lit.value];
  return { extract: () => values, type: STRING, keys: [] };
}

function compileList(list: TransformerList, resolve: FieldTypeResolver, access: FieldAccess): CompiledOperand {
  const parts = list.items.map((item) => compileArg(item, resolve, access));
  return {
    extract: (ev) => {
      const out: Scalar[] = [];
      for (const p of parts) {
        const v = p.extract(ev);
        if (v === undefined || v === null) return v;
        out.push(...v);
      }
      return out;
    },
    type: { type: 'CHARBUF', list: true },
    keys: parts.flatMap((p) => p.keys),
  };
}

function mapStrings(inner: CompiledOperand, f: (s: string) => string, type: FieldType = inner.type): CompiledOperand {
  return {
    extract: (ev) => {
      const v = inner.extract(ev);
      return v === undefined || v === null ? v : v.map((x) => f(String(x)));
    },
    type,
    keys: inner.keys,
  };
}

function compileTransformer(t: Transformer, resolve: FieldTypeResolver, access: FieldAccess): CompiledOperand {
  const args = t.args.map((a) => compileArg(a, resolve, access));
  const first = args[0] ?? constant({ kind: 'value', value: '', span: t.span });
  const keys = args.flatMap((a) => a.keys);
  switch (t.name) {
    case 'val':
      return { ...first, plainKey: undefined };
    case 'tolower':
      return mapStrings(first, asciiLower);
    case 'toupper':
      return mapStrings(first, asciiUpper);
    case 'b64':
      return mapStrings(first, (s) => Buffer.from(s, 'base64').toString('utf8'));
    case 'basename':
      return mapStrings(first, (s) => s.slice(s.lastIndexOf('/') + 1));
    case 'len':
      return {
        extract: (ev) => {
          const v = first.extract(ev);
          if (v === undefined || v === null) return v;
          return first.type.list ? [v.length] : v.map((x) => Buffer.byteLength(String(x)));
        },
        type: { type: 'UINT64', list: false },
        keys,
      };
    case 'join':
    case 'concat': {
      const sep = t.name === 'join' ? args[0] : undefined;
      const parts = t.name === 'join' ? args.slice(1) : args;
      return {
        extract: (ev) => {
          let separator = '';
          if (sep) {
            const s = sep.extract(ev);
            if (s === undefined || s === null) return s;
            separator = String(s[0] ?? '');
          }
          const pieces: string[] = [];
          for (const p of parts) {
            const v = p.extract(ev);
            if (v === undefined || v === null) return v;
            if (t.name === 'join') pieces.push(...v.map(String));
            else pieces.push(String(v[0] ?? ''));
          }
          return [pieces.join(separator)];
        },
        type: STRING,
        keys,
      };
    }
    case 'getopt': {
      const spec = args[1];
      const option = t.arg;
      return {
        extract: (ev) => {
          const v = first.extract(ev);
          if (v === undefined || v === null) return v;
          const s = spec?.extract(ev);
          if (s === undefined || s === null) return s;
          const argv = first.type.list ? v.map(String) : v.flatMap((x) => String(x).split(/\s+/).filter(Boolean));
          const opts = parseGetopt(argv, String(s[0] ?? ''));
          if (option === undefined) return [...opts.entries()].map(([k, val]) => `${k}=${val}`);
          const found = opts.get(option);
          return found === undefined ? null : [found];
        },
        type: STRING,
        keys,
      };
    }
  }
}

/** POSIX getopt over an argument vector: option letter -> its argument ('' for a flag); stops at `--` or a non-option. */
function parseGetopt(argv: readonly string[], optstring: string): Map<string, string> {
  const out = new Map<string, string>();
  const spec = optstring.startsWith(':') ? optstring.slice(1) : optstring;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const at = spec.indexOf(c);
      if (at < 0) continue;
      if (spec[at + 1] === ':') {
        const rest = a.slice(j + 1);
        out.set(c, rest !== '' ? rest : (argv[++i] ?? ''));
        break;
      }
      out.set(c, '');
    }
  }
  return out;
}
