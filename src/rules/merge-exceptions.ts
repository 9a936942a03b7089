/** Exception validation, defaults and append-merging (Falco's collector, docs/falco-rules-semantics.md §2.6). */
import type { Loc } from '../diagnostics/index.js';
import type { ExceptionDef } from './model.js';
import { isModifierOperator, isSupportedOperator } from './exception-operators.js';

export type FieldCheck = (source: string, field: string) => boolean;

/** Falco's entry::is_valid: a non-empty scalar or a non-empty list. */
export function isValidEntry(entry: string | string[] | undefined): boolean {
  return entry !== undefined && entry.length > 0;
}

/** A validation error and where it is: the field it names, else the exception. */
export interface ExceptionError {
  error: string;
  at: ExceptionDef;
  loc: Loc;
}

/** Validates an exception and applies the comps defaults; returns the defaulted copy, or the error. */
export function validateException(ex: ExceptionDef, source: string, isKnownField: FieldCheck | undefined): ExceptionDef | ExceptionError {
  const fail = (error: string, field?: number): ExceptionError => ({ error, at: ex, loc: (field === undefined ? undefined : ex.fieldLocs?.[field]) ?? ex.loc });
  const out: ExceptionDef = { ...ex, values: ex.values?.slice() };
  if (Array.isArray(ex.fields)) {
    const comps = !isValidEntry(ex.comps) ? ex.fields.map(() => '=') : Array.isArray(ex.comps) ? ex.comps.map(trimBlanks) : [];
    if (comps.length !== ex.fields.length) return fail('Fields and comps lists must have equal length');
    const bad = comps.find((c) => !isSupportedOperator(c));
    if (bad !== undefined) return fail(`'${bad}' is not a supported comparison operator`);
    const unknown = isKnownField ? ex.fields.findIndex((f) => !isKnownField(source, f)) : -1;
    if (unknown >= 0) return fail(`'${ex.fields[unknown]}' is not a supported filter field`, unknown);
    out.comps = comps;
  } else {
    const field = ex.fields ?? '';
    if (Array.isArray(ex.comps) && ex.comps.length > 0) return fail('Fields and comps must both be strings');
    const comp = typeof ex.comps === 'string' && ex.comps !== '' ? trimBlanks(ex.comps) : 'in';
    if (comp !== 'in' && comp !== 'pmatch' && comp !== 'intersects' && !isModifierOperator(comp)) {
      return fail('When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)');
    }
    if (isKnownField && !isKnownField(source, field)) return fail(`'${field}' is not a supported filter field`, 0);
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
): ExceptionDef[] | ExceptionError {
  const out = previous.slice();
  for (const ex of incoming) {
    const i = out.findIndex((e) => e.name === ex.name);
    if (i < 0) {
      if (!isValidEntry(ex.fields)) return { error: 'Rule exception must have fields property with a list of fields', at: ex, loc: ex.loc };
      if (!ex.values || ex.values.length === 0) return { error: 'Rule exception must have values property with a list of values', at: ex, loc: ex.loc };
      const validated = validateException(ex, source, isKnownField);
      if ('error' in validated) return validated;
      out.push(validated);
    } else {
      if (isValidEntry(ex.fields)) return { error: 'Can not append exception fields to existing exception, only values', at: ex, loc: ex.loc };
      if (isValidEntry(ex.comps)) return { error: 'Can not append exception comps to existing exception, only values', at: ex, loc: ex.loc };
      const existing = out[i];
      out[i] = { ...existing, values: [...(existing.values ?? []), ...(ex.values ?? [])] };
    }
  }
  return out;
}

function trimBlanks(text: string): string {
  return text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '');
}
