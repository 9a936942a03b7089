/** Resolving the fields and transformers of a condition against the catalog, as libs' filter compiler does. */
import type { FieldOperand, FieldRef, Span, Transformer, TransformerArg } from './ast.js';
import { lookupField, type FieldCatalog } from './catalog/index.js';

/** The type a field or transformer yields after transformation (libs get_transformed_field_info). */
export interface OperandType {
  type: string;
  list: boolean;
}

export interface FilterError {
  message: string;
  span: Span;
}

export type OperandResult = { ok: true; value: OperandType } | { ok: false; error: FilterError };

const STRING_TYPES = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const SINGLE_ARG = new Set(['tolower', 'toupper', 'b64', 'basename', 'len', 'val']);

function transformType(name: Transformer['name'], input: OperandType): OperandType | undefined {
  switch (name) {
    case 'tolower':
    case 'toupper':
    case 'basename':
      return STRING_TYPES.has(input.type) ? input : undefined;
    case 'b64':
      return STRING_TYPES.has(input.type) || input.type === 'BYTEBUF' ? input : undefined;
    case 'len':
      return input.list || STRING_TYPES.has(input.type) || input.type === 'BYTEBUF' ? { type: 'UINT64', list: false } : undefined;
    case 'join':
    case 'concat':
    case 'getopt':
      return { type: 'CHARBUF', list: false };
    case 'val':
      return input;
  }
}

export function resolveFieldRef(ref: FieldRef, source: string, catalog: FieldCatalog): OperandResult {
  const found = lookupField(catalog, source, ref.name, ref.arg);
  if (!found.ok) return { ok: false, error: { message: found.message, span: ref.span } };
  return { ok: true, value: { type: found.field.type, list: found.field.list } };
}

function resolveArg(arg: TransformerArg, source: string, catalog: FieldCatalog): OperandResult | undefined {
  switch (arg.kind) {
    case 'field':
    case 'transformer':
      return resolveOperand(arg, source, catalog);
    case 'transformer-list': {
      for (const item of arg.items) {
        const r = item.kind === 'value' ? undefined : resolveOperand(item, source, catalog);
        if (r !== undefined && !r.ok) return r;
      }
      return undefined;
    }
    case 'value':
      return undefined;
  }
}

function resolveTransformer(t: Transformer, source: string, catalog: FieldCatalog): OperandResult {
  if (t.arg !== undefined && SINGLE_ARG.has(t.name)) {
    return { ok: false, error: { message: `filter error: transformer '${t.name}' does not support field arguments`, span: t.span } };
  }
  let first: OperandType | undefined;
  for (const arg of t.args) {
    const r = resolveArg(arg, source, catalog);
    if (r === undefined) continue;
    if (!r.ok) return r;
    first ??= r.value;
  }
  const input = first ?? { type: 'CHARBUF', list: false };
  const out = transformType(t.name, input);
  if (out === undefined) {
    return { ok: false, error: { message: `field type '${input.type}' is not supported by '${t.name}' transformer`, span: t.span } };
  }
  return { ok: true, value: out };
}

export function resolveOperand(op: FieldOperand, source: string, catalog: FieldCatalog): OperandResult {
  return op.kind === 'field' ? resolveFieldRef(op, source, catalog) : resolveTransformer(op, source, catalog);
}

/** Every field reference in an operand, transformer arguments included, in source order. */
export function fieldRefsOf(op: FieldOperand | TransformerArg): FieldRef[] {
  switch (op.kind) {
    case 'field':
      return [op];
    case 'transformer':
      return op.args.flatMap(fieldRefsOf);
    case 'transformer-list':
      return op.items.flatMap(fieldRefsOf);
    case 'value':
      return [];
  }
}
