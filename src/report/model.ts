/**
 * The Report model every command renders: diagnostics (Falco's load results), findings (checks of
 * our own), a summary, tables of the command's data, and the data itself for JSON.
 */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import { compareStrings } from '../config/compare-paths.js';

export type FindingSeverity = 'error' | 'warning' | 'note';

/** One result of a check: what, where, and how to fix it. */
export interface Finding {
  /** The id of the check that produced it, e.g. "no-evttype". */
  checkId: string;
  /** A stable key of the message within the check, e.g. "missing". */
  messageId: string;
  severity: FindingSeverity;
  message: string;
  location: Loc;
  /** "rule", "macro" or "list". */
  itemType: string;
  itemName: string;
  /** The environment it was found in; absent for bare files. */
  environment?: string;
  hint?: string;
  related?: { message: string; location: Loc }[];
}

/** What a report says about a check it may cite (SARIF `rules[]`). */
export interface CheckDescriptor {
  id: string;
  summary: string;
  severity: FindingSeverity;
  rationale?: string;
  hint?: string;
  /** Relative path of the check's documentation page, e.g. "docs/checks/no-evttype.md". */
  helpPath?: string;
}

/** A table of the command's data (text and Markdown render it; JSON carries it). */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export interface ReportSummary {
  /** Whether the gate passes (exit code 0). */
  passed: boolean;
  errors: number;
  warnings: number;
  notes: number;
  /** Findings left out by inline suppression. */
  suppressed: number;
}

export interface Report {
  /** The command that made it, e.g. "lint". */
  command: string;
  tool: { name: string; version: string };
  diagnostics: Diagnostic[];
  findings: Finding[];
  checks: CheckDescriptor[];
  summary: ReportSummary;
  tables: ReportTable[];
  /** The command's own data, carried as-is into JSON. */
  data?: unknown;
}

export const REPORT_SCHEMA_VERSION = 1;

/** Counts findings and error diagnostics by severity; `passed` is decided by the caller. */
export function summarizeFindings(findings: readonly Finding[], diagnostics: readonly Diagnostic[], passed: boolean, suppressed = 0): ReportSummary {
  const count = (s: FindingSeverity) => findings.filter((f) => f.severity === s).length;
  return {
    passed,
    errors: count('error') + diagnostics.filter((d) => d.severity === 'error').length,
    warnings: count('warning') + diagnostics.filter((d) => d.severity === 'warning').length,
    notes: count('note'),
    suppressed,
  };
}

function compareLoc(a: Loc, b: Loc): number {
  if (a.file !== b.file) return compareStrings(a.file, b.file);
  return a.line - b.line || a.column - b.column;
}

/** Findings in a stable order: file, line, column, check, message (byte-wise, never locale). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareLoc(a.location, b.location) ||
      compareStrings(a.environment ?? '', b.environment ?? '') ||
      compareStrings(a.checkId, b.checkId) ||
      compareStrings(a.message, b.message),
  );
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => compareLoc(a.location, b.location) || compareStrings(a.code, b.code) || compareStrings(a.message, b.message));
}
