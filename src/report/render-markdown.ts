import { formatLoc } from '../diagnostics/index.js';
import { sortDiagnostics, sortFindings, type Report, type ReportTable } from './model.js';
import { summaryLine } from './render-text.js';
import { escapeMarkdownText } from './markdown-text.js';

/** A pull-request comment: summary first, then problems and tables as Markdown tables. */
export function renderMarkdown(r: Report): string {
  const out: string[] = [`### falco-gitops ${r.command}`, '', `${r.summary.passed ? '✅' : '❌'} ${summaryLine(r)}`];
  const rows: string[][] = [
    ...sortDiagnostics(r.diagnostics).map((d) => [d.severity, d.code, `\`${formatLoc(d.location)}\``, escapeMarkdownText(d.message)]),
    ...sortFindings(r.findings).map((f) => [
      f.severity,
      f.checkId,
      `\`${formatLoc(f.location)}\``,
      escapeMarkdownText(f.message) +
        (f.environment === undefined ? '' : ` (${escapeMarkdownText(f.environment)})`) +
        (f.hint === undefined ? '' : `<br>*${escapeMarkdownText(f.hint)}*`),
    ]),
  ];
  if (rows.length > 0) {
    out.push('', ...markdownTable({ title: '', columns: ['severity', 'check', 'location', 'message'], rows }));
  }
  for (const t of r.tables) {
    const plain = (c: string | number) => escapeMarkdownText(String(c));
    out.push(
      '',
      `#### ${escapeCell(plain(t.title))}`,
      '',
      ...markdownTable({ ...t, columns: t.columns.map(plain), rows: t.rows.map((row) => row.map(plain)) }),
    );
  }
  return out.join('\n') + '\n';
}

function markdownTable(t: ReportTable): string[] {
  // cells are Markdown already: plain text in them was escaped by the caller
  const row = (cells: (string | number)[]) => `| ${cells.map((c) => escapeCell(String(c))).join(' | ')} |`;
  return [row(t.columns), `|${t.columns.map(() => ' --- ').join('|')}|`, ...t.rows.map(row)];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
