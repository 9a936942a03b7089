import { formatLoc } from '../diagnostics/index.js';
import { sortDiagnostics, sortFindings, type Report, type ReportTable } from './model.js';
import { summaryLine } from './render-text.js';

/** A pull-request comment: summary first, then problems and tables as Markdown tables. */
export function renderMarkdown(r: Report): string {
  const out: string[] = [`### falco-gitops ${r.command}`, '', `${r.summary.passed ? '✅' : '❌'} ${summaryLine(r)}`];
  const rows: string[][] = [
    ...sortDiagnostics(r.diagnostics).map((d) => [d.severity, d.code, `\`${formatLoc(d.location)}\``, d.message]),
    ...sortFindings(r.findings).map((f) => [
      f.severity,
      f.checkId,
      `\`${formatLoc(f.location)}\``,
      f.message + (f.environment === undefined ? '' : ` (${f.environment})`) + (f.hint === undefined ? '' : `<br>*${f.hint}*`),
    ]),
  ];
  if (rows.length > 0) {
    out.push('', ...markdownTable({ title: '', columns: ['severity', 'check', 'location', 'message'], rows }));
  }
  for (const t of r.tables) out.push('', `#### ${escapeCell(t.title)}`, '', ...markdownTable(t));
  return out.join('\n') + '\n';
}

function markdownTable(t: ReportTable): string[] {
  const row = (cells: (string | number)[]) => `| ${cells.map((c) => escapeCell(String(c))).join(' | ')} |`;
  return [row(t.columns), `|${t.columns.map(() => ' --- ').join('|')}|`, ...t.rows.map(row)];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
