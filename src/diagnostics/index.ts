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
export type ToolCode = 'CONFIG_ERROR' | 'INPUT_ERROR';

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
  /** Further places that explain it, e.g. rule -> macro -> list. */
  related?: { message: string; location: Loc }[];
}

export function formatLoc(loc: Loc): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
