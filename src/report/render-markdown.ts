import { formatLoc } from '../diagnostics/index.js';
import { isListed, sortDiagnostics, sortFindings, type Finding, type Report, type ReportBaseline, type ReportChart, type ReportTable } from './model.js';
import { changeMarkdown } from './render-changes.js';
import { summaryLine } from './render-text.js';
import { escapeMarkdownText, escapeTableCell } from './markdown-text.js';

/** A pull-request comment: summary first, then problems and tables as Markdown tables. */
export function renderMarkdown(r: Report): string {
  const out: string[] = [`### falco-gitops ${r.command}`, '', `${r.summary.passed ? '✅' : '❌'} ${summaryLine(r)}`];
  const listed = problemRows(r, true);
  if (listed.length > 0) out.push('', ...markdownTable({ title: '', columns: PROBLEM_COLUMNS, rows: listed }));
  out.push(...findingChanges(sortFindings(r.findings).filter(isListed)));
  if (r.baseline !== undefined) out.push(...baselineSection(r, r.baseline));
  const charts = r.charts ?? [];
  for (const t of r.tables) {
    out.push(
      '',
      `#### ${escapeTableCell(plain(t.title))}`,
      '',
      ...markdownTable({ ...t, columns: t.columns.map(plain), rows: t.rows.map((row) => row.map(plain)) }),
      ...tableDetails(t),
    );
    for (const c of charts.filter((c) => c.afterTable === t.title)) out.push(...chart(c));
  }
  for (const c of charts.filter((c) => !r.tables.some((t) => t.title === c.afterTable))) out.push(...chart(c));
  return out.join('\n') + '\n';
}

const PROBLEM_COLUMNS = ['severity', 'check', 'location', 'message'];

function plain(c: string | number): string {
  return escapeMarkdownText(String(c));
}

function problemRows(r: Report, listed: boolean): string[][] {
  return [
    ...sortDiagnostics(r.diagnostics)
      .filter((d) => isListed(d) === listed)
      .map((d) => [
        d.severity,
        d.code,
        `\`${formatLoc(d.location)}\``,
        escapeMarkdownText(d.message) + (d.hint === undefined ? '' : `<br>*${escapeMarkdownText(d.hint)}*`),
      ]),
    ...sortFindings(r.findings)
      .filter((f) => isListed(f) === listed)
      .map((f) => [
        f.severity,
        f.checkId,
        `\`${formatLoc(f.location)}\``,
        escapeMarkdownText(f.message) +
          (f.environment === undefined ? '' : ` (${escapeMarkdownText(f.environment)})`) +
          (f.hint === undefined ? '' : `<br>*${escapeMarkdownText(f.hint)}*`),
      ]),
  ];
}

/** What the base already had, collapsed, and what this change fixed: counted, not in the reviewer's way. */
function baselineSection(r: Report, baseline: ReportBaseline): string[] {
  const problems = [...r.diagnostics, ...r.findings];
  const unchanged = problems.filter((p) => p.baseline?.state === 'unchanged').length;
  const elsewhere = problems.filter((p) => p.baseline?.state === 'new' && !p.baseline.inChange).length;
  const fixed = baseline.fixed.length;
  const out = ['', `Against \`${baseline.base}\`: ${plural(problems.length - unchanged, 'new problem')}, ${unchanged} unchanged, ${fixed} fixed.`];
  const rest = problemRows(r, false);
  if (rest.length > 0) {
    const what = [...(unchanged > 0 ? [`${unchanged} unchanged`] : []), ...(elsewhere > 0 ? [`${elsewhere} new outside the changed items`] : [])];
    out.push(
      '',
      `<details><summary>${plural(rest.length, 'more problem')} (${what.join(', ')})</summary>`,
      '',
      ...markdownTable({ title: '', columns: PROBLEM_COLUMNS, rows: rest }),
      '',
      '</details>',
    );
  }
  if (fixed > 0) {
    const rows = baseline.fixed.map((f) => [f.severity, f.id, `\`${formatLoc(f.location)}\``, escapeMarkdownText(f.message)]);
    out.push(
      '',
      `<details><summary>${plural(fixed, 'problem')} fixed</summary>`,
      '',
      ...markdownTable({ title: '', columns: PROBLEM_COLUMNS, rows }),
      '',
      '</details>',
    );
  }
  return out;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function chart(c: ReportChart): string[] {
  return ['', `#### ${escapeTableCell(c.title)}`, '', '```mermaid', c.mermaid, '```'];
}

/** The values findings are about, word by word, folded under the table. */
function findingChanges(findings: readonly Finding[]): string[] {
  const withChanges = findings.filter((f) => (f.changes ?? []).length > 0);
  if (withChanges.length === 0) return [];
  return folded(
    'Word by word',
    withChanges.map((f) => [`\`${formatLoc(f.location)}\` ${f.itemType} ${escapeTableCell(plain(f.itemName))}`, ...f.changes!.map(changeMarkdown)]),
  );
}

function tableDetails(t: ReportTable): string[] {
  if (t.details === undefined || t.details.length === 0) return [];
  return folded(
    'Word by word',
    t.details.map((d) => [escapeTableCell((t.rows[d.row] ?? []).map(plain).join(' · ')), ...d.changes.map(changeMarkdown)]),
  );
}

/** Entries of a heading line and paragraphs, in a collapsed `<details>`. */
function folded(summary: string, entries: string[][]): string[] {
  const items = entries.map(([heading, ...paragraphs]) => [`- ${heading}`, ...paragraphs.map((p) => `\n  ${p.replace(/\n/g, '\n  ')}`)].join('\n'));
  return ['', `<details><summary>${summary}</summary>`, '', ...items.flatMap((item) => [item, '']), '</details>'];
}

function markdownTable(t: ReportTable): string[] {
  // cells are Markdown already: plain text in them was escaped by the caller
  const row = (cells: (string | number)[]) => `| ${cells.map((c) => escapeTableCell(String(c))).join(' | ')} |`;
  return [row(t.columns), `|${t.columns.map(() => ' --- ').join('|')}|`, ...t.rows.map(row)];
}
