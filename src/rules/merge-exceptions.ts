/** Exception validation, defaults and append-merging (Falco's collector, docs/falco-rules-semantics.md §2.6). */
import type { ExceptionDef } from './model.js';
import { isModifierOperator, isSupportedOperator } from './exception-operators.js';

export type FieldCheck = (source: string, field: string) => boolean;

/** Falco's entry::is_valid: a non-empty scalar or a non-empty list. */
export function isValidEntry(entry: string | string[] | undefined): boolean {
  return entry !== undefined && entry.length > 0;
}

/** Validates an exception and applies the comps defaults; returns the defaulted copy, or the error message. */
export function validateException(ex: ExceptionDef, source: string, isKnownField: FieldCheck | undefined): ExceptionDef | string {
  const out: ExceptionDef = { ...ex, values: ex.values?.slice() };
  if (Array.isArray(ex.fields)) {
    const comps = !isValidEntry(ex.comps) ? ex.fields.map(() => '=') : Array.isArray(ex.comps) ? ex.comps.map(trimBlanks) : [];
    if (comps.length !== ex.fields.length) return 'Fields and comps lists must have equal length';
    const bad = comps.find((c) => !isSupportedOperator(c));
    if (bad !== undefined) return `'${bad}' is not a supported comparison operator`;
    const unknown = isKnownField ? ex.fields.find((f) => !isKnownField(source, f)) : undefined;
    if (unknown !== undefined) return `'${unknown}' is not a supported filter field`;
    out.comps = comps;
  } else {
    const field = ex.fields ?? '';
    if (Array.isArray(ex.comps) && ex.comps.length > 0) return 'Fields and comps must both be strings';
    const comp = typeof ex.comps === 'string' && ex.comps !== '' ? trimBlanks(ex.comps) : 'in';
    if (comp !== 'in' && comp !== 'pmatch' && comp !== 'intersects' && !isModifierOperator(comp)) {
      return 'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)';
    }
    if (isKnownField && !isKnownField(source, field)) return `'${field}' is not a supported filter field`;
    out.comps = comp;
  }
  return out;
}

/** An append's exceptions merged into the previous list: new names validated and added, known names get values. */
export function appendExceptions(
  previous: ExceptionDef[],
  incoming: ExceptionDef[],
  source: string,
  isKnownField: FieldCheck | undefined,
): ExceptionDef[] | { error: string; at: ExceptionDef } {
  const out = previous.slice();
  for (const ex of incoming) {
    const i = out.findIndex((e) => e.name === ex.name);
    if (i < 0) {
      if (!isValidEntry(ex.fields)) return { error: 'Rule exception must have fields property with a list of fields', at: ex };
      if (!ex.values || ex.values.length === 0) return { error: 'Rule exception must have values property with a list of values', at: ex };
      const validated = validateException(ex, source, isKnownField);
      if (typeof validated === 'string') return { error: validated, at: ex };
      out.push(validated);
    } else {
      if (isValidEntry(ex.fields)) return { error: 'Can not append exception fields to existing exception, only values', at: ex };
      if (isValidEntry(ex.comps)) return { error: 'Can not append exception comps to existing exception, only values', at: ex };
      const existing = out[i];
      out[i] = { ...existing, values: [...(existing.values ?? []), ...(ex.values ?? [])] };
    }
  }
  return out;
}

function trimBlanks(text: string): string {
  return text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
}
