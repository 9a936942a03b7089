import { closestName } from '../config/closest-name.js';
import { compareStrings } from '../config/compare-paths.js';

/** A position in a source file, 1-based line and column. */
export interface Loc {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/** Falco's own load result codes (falco_load_result.h), plus our own for problems Falco has no code for. */
export type FalcoErrorCode =
  | 'LOAD_ERR_FILE_READ'
  | 'LOAD_ERR_YAML_PARSE'
  | 'LOAD_ERR_YAML_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION'
  | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_ERR_VALIDATE'
  | 'LOAD_ERR_EXTENSION';

export type FalcoWarningCode =
  | 'LOAD_UNKNOWN_SOURCE'
  | 'LOAD_UNSAFE_NA_CHECK'
  | 'LOAD_NO_EVTTYPE'
  | 'LOAD_UNKNOWN_FILTER'
  | 'LOAD_UNUSED_MACRO'
  | 'LOAD_UNUSED_LIST'
  | 'LOAD_UNKNOWN_ITEM'
  | 'LOAD_DEPRECATED_ITEM'
  | 'LOAD_WARNING_EXTENSION'
  | 'LOAD_APPEND_NO_VALUES'
  | 'LOAD_EXCEPTION_NAME_NOT_UNIQUE'
  | 'LOAD_INVALID_MACRO_NAME'
  | 'LOAD_INVALID_LIST_NAME'
  | 'LOAD_COMPILE_CONDITION'
  | 'LOAD_UNKNOWN_KEY';

/** Codes of our own: configuration and input problems outside Falco's rules loader. */
export type ToolCode = 'CONFIG_ERROR' | 'INPUT_ERROR' | 'UPSTREAM_LOCK_DRIFT';

export type DiagnosticCode = FalcoErrorCode | FalcoWarningCode | ToolCode;

/**
 * An expected problem, as a value: Falco's code, the item it concerns, a message (Falco's own
 * words where they are clear) and where it is.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Falco's item type, e.g. "rule", "macro", "list", "rule condition", "rules content". */
  itemType: string;
  itemName: string;
  message: string;
  location: Loc;
  /** The Falco target it holds for, when it does not hold for every target checked (e.g. "falco 0.42.0 (container)"). */
  target?: string;
  /** Further places that explain it, e.g. rule -> macro -> list. */
  related?: { message: string; location: Loc }[];
  /** A way out Falco does not print, e.g. "did you mean 'condition'?"; kept apart from Falco's message. */
  hint?: string;
  /** Set by `ci` only: against the pull request's base. */
  baseline?: BaselineMark;
}

/**
 * Where a problem stands against a pull request's base: `new` when the base did not have it (matched
 * by code, item and message, never by line), and whether it sits in an item the change touched.
 */
export interface BaselineMark {
  state: 'new' | 'unchanged';
  inChange: boolean;
}

export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** One line per diagnostic, compiler style: `file:line:col: error LOAD_ERR_VALIDATE: message (rule 'X')`. */
export function formatDiagnostic(d: Diagnostic): string {
  const item = d.itemName ? ` (${d.itemType} '${d.itemName}')` : '';
  return [`${formatLoc(d.location)}: ${d.severity} ${d.code}: ${d.message || '(no message)'}${item}`, ...diagnosticNotes(d)].join('\n');
}

/** The trailing lines of a diagnostic in text: its hint, then its related places. */
export function diagnosticNotes(d: Diagnostic, indent = '  '): string[] {
  const lines = d.hint === undefined ? [] : [`${indent}hint: ${d.hint}`];
  for (const rel of d.related ?? []) lines.push(`${indent}note: ${rel.message} at ${formatLoc(rel.location)}`);
  return lines;
}

/** The hint for a name that is not known, when one of the known names is close enough to be meant. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const suggestion = closestName(name, [...known]);
  return suggestion === undefined || suggestion === name ? undefined : `did you mean '${suggestion}'?`;
}

/** Sorted by file, line, column, then code, so output never depends on processing order. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareStrings(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      compareStrings(a.code, b.code),
  );
}

export { MAX_YAML_NESTING, YAML_TOO_DEEP, yamlNestingExcess } from './yaml-nesting.js';
export { MAX_RULES_FILE_BYTES, fileSizeRefusal } from './limits.js';
