import { diagnosticNotes, formatLoc } from '../diagnostics/index.js';
import { changeTextLines } from './render-changes.js';
import { isListed, sortDiagnostics, sortFindings, type Report, type ReportTable } from './model.js';

/** Human output: one line per problem (file:line:col severity message [id]), tables, then a summary. */
export function renderText(r: Report): string {
  const lines = problemLines(r, true);
  if (r.baseline !== undefined) {
    const rest = problemLines(r, false);
    const fixed = r.baseline.fixed.length;
    if (lines.length > 0) lines.push('');
    const verdict =
      rest.length > 0 ? 'also present (unchanged, or new outside the changed items):' : lines.length > 0 ? 'no other problems' : 'no new problems';
    lines.push(`Against ${r.baseline.base}: ${verdict}${fixed > 0 ? ` · ${fixed} fixed` : ''}`);
    lines.push(...rest.map((l) => `  ${l}`));
  }
  for (const t of r.tables) {
    if (lines.length > 0) lines.push('');
    lines.push(...renderTextTable(t));
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(r));
  return lines.join('\n') + '\n';
}

function problemLines(r: Report, listed: boolean): string[] {
  const lines: string[] = [];
  for (const d of sortDiagnostics(r.diagnostics).filter((d) => isListed(d) === listed)) {
    lines.push(`${formatLoc(d.location)}  ${d.severity}  ${d.message}  [${d.code}]`);
    lines.push(...diagnosticNotes(d, '    '));
  }
  for (const f of sortFindings(r.findings).filter((f) => isListed(f) === listed)) {
    const env = f.environment === undefined ? '' : ` (${f.environment})`;
    lines.push(`${formatLoc(f.location)}  ${f.severity}  ${f.message}${env}  [${f.checkId}]`);
    if (f.hint !== undefined) lines.push(`    hint: ${f.hint}`);
    for (const rel of f.related ?? []) lines.push(`    ${formatLoc(rel.location)}: ${rel.message}`);
    for (const change of f.changes ?? []) lines.push(...changeTextLines(change, '    '));
  }
  return lines;
}

export function summaryLine(r: Report): string {
  const s = r.summary;
  // against a base, the counts are of the problems the change brings
  const fresh = r.baseline === undefined ? '' : 'new ';
  const parts = [`${s.errors} ${fresh}error${s.errors === 1 ? '' : 's'}`, `${s.warnings} ${fresh}warning${s.warnings === 1 ? '' : 's'}`];
  if (s.notes > 0) parts.push(`${s.notes} ${fresh}note${s.notes === 1 ? '' : 's'}`);
  if (s.suppressed > 0) parts.push(`${s.suppressed} suppressed`);
  return `${r.command}: ${s.passed ? 'passed' : 'failed'} (${parts.join(', ')})`;
}

function renderTextTable(t: ReportTable): string[] {
  const cells = [t.columns, ...t.rows.map((row) => row.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const details = new Map((t.details ?? []).map((d) => [d.row, d.changes]));
  return [
    t.title,
    line(t.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).flatMap((row, i) => [line(row), ...(details.get(i) ?? []).flatMap((c) => changeTextLines(c, '    '))]),
  ];
}
