/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), escaped the way the
 * runner parses them (actions/toolkit packages/core/src/command.ts: escapeData, escapeProperty).
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Finding, Report } from '../report/index.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Escapes a command's message: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as data, plus `:` and `,` which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command line, without the trailing newline. */
export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.column !== undefined) props.push(`col=${a.column}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}`;
}

/** Every diagnostic and finding of a report as an annotation on its file and line; notes become notices. */
export function reportAnnotations(report: Report): Annotation[] {
  return [...report.diagnostics.map(diagnosticAnnotation), ...report.findings.map(findingAnnotation)];
}

function diagnosticAnnotation(d: Diagnostic): Annotation {
  const item = d.itemName ? ` (${d.itemType} '${d.itemName}')` : '';
  return { level: d.severity, title: d.code, message: `${d.message}${item}`, ...at(d.location) };
}

function findingAnnotation(f: Finding): Annotation {
  const level: AnnotationLevel = f.severity === 'note' ? 'notice' : f.severity;
  const env = f.environment === undefined ? '' : ` [${f.environment}]`;
  const hint = f.hint === undefined ? '' : `\n${f.hint}`;
  return { level, title: f.checkId, message: `${f.message}${env}${hint}`, ...at(f.location) };
}

function at(loc: { file: string; line: number; column: number }): Pick<Annotation, 'file' | 'line' | 'column'> {
  return loc.file === '' ? {} : { file: loc.file, line: loc.line, column: loc.column };
}
