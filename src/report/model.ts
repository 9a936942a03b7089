/**
 * The Report model every command renders: diagnostics (Falco's load results), findings (checks of
 * our own), a summary, tables of the command's data, and the data itself for JSON.
 */
import type { BaselineMark, Diagnostic, Loc } from '../diagnostics/index.js';
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
  /** Values it is about, shown word by word (e.g. upstream's change to a condition we replace). */
  changes?: ValueChange[];
  /** Whether it fails the gate under the environment's policy (set by lint). */
  fails?: boolean;
  /** Set by `ci` only: against the pull request's base. */
  baseline?: BaselineMark;
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
  /** Changed values of some rows, shown under the table word by word. */
  details?: { row: number; changes: ValueChange[] }[];
}

/** A piece of a word-level difference: text both sides have, or only the old or the new one. */
export interface WordPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** One changed value word by word, e.g. `{label: "condition", parts}`. */
export interface ValueChange {
  label: string;
  parts: WordPart[];
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
  /** Set by `ci`: what the base had that the head no longer has. */
  baseline?: ReportBaseline;
  /** Mermaid charts, shown in Markdown only (GitHub renders them), each after the table it illustrates. */
  charts?: ReportChart[];
}

export interface ReportChart {
  title: string;
  /** The chart's Mermaid source. */
  mermaid: string;
  /** The title of the table it follows; at the end when no table has it. */
  afterTable: string;
}

export interface ReportBaseline {
  /** The base revision as given. */
  base: string;
  fixed: FixedProblem[];
}

/** A finding or diagnostic of the base that the head no longer has, where the base had it. */
export interface FixedProblem {
  id: string;
  severity: string;
  message: string;
  itemType: string;
  itemName: string;
  location: Loc;
}

/** Without a baseline everything is listed; with one, only new problems in the items the change touched. */
export function isListed(problem: { baseline?: BaselineMark }): boolean {
  return problem.baseline === undefined || (problem.baseline.state === 'new' && problem.baseline.inChange);
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
