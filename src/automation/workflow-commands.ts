/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), escaped the way the
 * runner parses them (actions/toolkit packages/core/src/command.ts: escapeData, escapeProperty).
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { Finding, Report } from '../report/index.js';
import { compareStrings } from '../config/compare-paths.js';

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

/** How the runner splits output into lines (.NET ReadLine: CR, LF or CRLF). */
const LINE_BREAK = /(\r\n|\r|\n)/;

/**
 * Text that cannot act as a workflow command: the runner takes a line as a command when it starts,
 * after leading blanks, with `::` (or contains the legacy `##[` anywhere), so a zero-width space
 * goes between those two characters. The text reads the same in the log.
 */
export function defuseWorkflowCommands(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((part) => part.replace(/^(\s*):(?=:)/u, '$1:\u200b').replace(/#(?=#\[)/g, '#\u200b'))
    .join('');
}

/**
 * A writer that defuses every line written through `write`, and lets the tool's own commands out
 * through `command`, each on a line of its own. Partial lines are held until their end (or `flush`),
 * since a command split across two writes is still one line to the runner.
 */
export function guardedWriter(out: (text: string) => void): { write: (text: string) => void; command: (line: string) => void; flush: () => void } {
  let pending = '';
  const write = (text: string): void => {
    pending += text;
    const lastBreak = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r'));
    if (lastBreak < 0) return;
    // a CR at the very end may be the first half of a CRLF: keep it with the rest
    const cut = pending[lastBreak] === '\r' && lastBreak === pending.length - 1 ? lastBreak : lastBreak + 1;
    if (cut === 0) return;
    out(defuseWorkflowCommands(pending.slice(0, cut)));
    pending = pending.slice(cut);
  };
  const flush = (): void => {
    if (pending !== '') out(defuseWorkflowCommands(pending));
    pending = '';
  };
  return {
    write,
    flush,
    command: (line) => {
      if (pending !== '') write('\n');
      flush();
      out(`${line}\n`);
    },
  };
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

/**
 * How many annotations of each level GitHub shows for one step (and 50 per job); later ones are
 * dropped silently (actions/toolkit docs/problem-matchers.md, "Limitations").
 */
export const ANNOTATIONS_PER_STEP = 10;

const LEVELS: readonly AnnotationLevel[] = ['error', 'warning', 'notice'];

/**
 * The annotations GitHub will show for one step, errors first, then warnings, then notices, each
 * sorted by file, line and column (unlocated ones last); when some do not fit, one notice at the
 * end says how many more there are and where to read them (`seeAlso`, e.g. "the job summary").
 */
export function limitAnnotations(annotations: readonly Annotation[], seeAlso: string, perStep: number = ANNOTATIONS_PER_STEP): Annotation[] {
  const byLevel = LEVELS.map((level) => annotations.filter((a) => a.level === level).sort(compareAnnotations));
  const [errors, warnings, notices] = byLevel as [Annotation[], Annotation[], Annotation[]];
  const overflow = errors.length > perStep || warnings.length > perStep || notices.length > perStep;
  // The closing notice takes one of the notice places.
  const caps = [perStep, perStep, overflow ? perStep - 1 : perStep];
  const shown = byLevel.flatMap((list, i) => list.slice(0, caps[i]));
  if (!overflow) return shown;
  const omitted = byLevel.map((list, i) => Math.max(0, list.length - caps[i]));
  const total = omitted.reduce((a, b) => a + b, 0);
  const parts = LEVELS.map((level, i) => (omitted[i] > 0 ? `${omitted[i]} ${level}${omitted[i] === 1 ? '' : 's'}` : '')).filter((p) => p !== '');
  const message = `${total} more finding${total === 1 ? '' : 's'} (${parts.join(', ')}) not annotated: GitHub shows ${perStep} of each level per step; all of them are in ${seeAlso}`;
  return [...shown, { level: 'notice', message }];
}

function compareAnnotations(a: Annotation, b: Annotation): number {
  if ((a.file === undefined) !== (b.file === undefined)) return a.file === undefined ? 1 : -1;
  const byFile = compareStrings(a.file ?? '', b.file ?? '');
  return byFile || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
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
