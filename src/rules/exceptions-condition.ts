/**
 * Exceptions compiled into a rule's condition text (Falco's build_rule_exception_infos,
 * docs/falco-rules-semantics.md §2.6 "Compilation into the condition").
 */
import type { ExceptionDef, ExceptionValue } from './model.js';
import { isListOperator } from './exception-operators.js';
import { quoteItem } from './list-substitution.js';

export type ExceptionsCondition = { text: string; exceptionFields: string[] } | { error: string; at: ExceptionDef };

export function buildExceptionsCondition(condition: string, exceptions: ExceptionDef[]): ExceptionsCondition {
  if (exceptions.length === 0) return { text: condition, exceptionFields: [] };
  const fieldsUsed = new Set<string>();
  let text = `(${condition})`;
  for (const ex of exceptions) {
    const clause = Array.isArray(ex.fields) ? listFormClause(ex, ex.fields, fieldsUsed) : singleFormClause(ex, ex.fields ?? '', fieldsUsed);
    if (typeof clause !== 'string') return { error: clause.error, at: ex };
    if (clause !== '') text += ` and not ${clause}`;
  }
  return { text, exceptionFields: [...fieldsUsed].sort() };
}

function singleFormClause(ex: ExceptionDef, field: string, fieldsUsed: Set<string>): string | { error: string } {
  const comp = typeof ex.comps === 'string' ? ex.comps : '';
  let clause = '';
  for (const value of ex.values ?? []) {
    if (Array.isArray(value)) return { error: 'Expected values array to contain a list of strings' };
    clause += clause === '' ? `(${field} ${comp} (` : ', ';
    fieldsUsed.add(field);
    clause += quoteItem(value);
  }
  return clause === '' ? '' : `${clause}))`;
}

function listFormClause(ex: ExceptionDef, fields: string[], fieldsUsed: Set<string>): string | { error: string } {
  const comps = Array.isArray(ex.comps) ? ex.comps : [];
  let clause = '(';
  for (const tuple of ex.values ?? []) {
    const entries: ExceptionValue[] = Array.isArray(tuple) ? tuple : [];
    if (entries.length !== fields.length) return { error: 'Fields and values lists must have equal length' };
    // Falco reads comps[k] unchecked here; exceptions set by `replace` skip defaulting (§2.6 source bug).
    if (comps.length < fields.length) return { error: 'Fields and comps lists must have equal length' };
    clause += clause === '(' ? '(' : ' or (';
    fields.forEach((field, k) => {
      const entry = entries[k];
      const comp = comps[k];
      let operand: string;
      if (Array.isArray(entry)) {
        operand = '(';
        for (const v of entry) {
          operand += operand === '(' ? '' : ', ';
          operand += quoteItem(typeof v === 'string' ? v : '');
        }
        operand += ')';
      } else if (isListOperator(comp)) {
        operand = entry.startsWith('(') ? entry : `(${entry})`;
      } else {
        operand = quoteItem(entry);
      }
      clause += `${k === 0 ? '' : ' and '} ${field} ${comp} ${operand}`;
      fieldsUsed.add(field);
    });
    clause += ')';
  }
  clause += ')';
  return clause === '()' ? '' : clause;
}
