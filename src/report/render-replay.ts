import type { ReplayReport } from '../evaluate/index.js';
import { summarizeFindings, type Report } from './model.js';

/** Human form of a replay report. */
export function renderReplay(r: ReplayReport, file: string): string {
  const out: string[] = [];
  out.push(`Replayed ${r.alerts} alerts from ${file} against ${r.candidate}.`);
  out.push(`Assumed base (the ruleset that raised them): ${r.base}.`);
  if (r.malformed.count > 0) {
    out.push(`${r.malformed.count} lines were not alerts; first: ${r.malformed.examples.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  }
  out.push('');
  for (const rule of r.rules) {
    out.push(`${rule.rule} [${rule.change}]: ${rule.alerts} alerts, ${rule.suppressed} suppressed, ${rule.fires} still fire, ${rule.undecided} undecided`);
    if (rule.change === 'unchanged') continue;
    for (const verdict of ['suppressed', 'fires', 'undecided'] as const) {
      for (const ex of rule.examples[verdict]) {
        out.push(`  ${verdict} (line ${ex.line}): ${ex.output}`);
        for (const d of ex.deciding) out.push(`      ${d}`);
        if (ex.missing.length > 0) out.push(`      missing: ${ex.missing.join(', ')}`);
      }
    }
    if (rule.missingFields.length > 0) {
      out.push(`  undecided alerts lack: ${rule.missingFields.map((m) => `${m.field} (${m.alerts})`).join(', ')}`);
    }
  }
  out.push('', `${r.totals.suppressed} suppressed, ${r.totals.fires} still fire, ${r.totals.undecided} undecided`);
  return `${out.join('\n')}\n`;
}

/** The replay as a Report: the impact table and a few examples, for the PR comment. */
export function replayReportModel(r: ReplayReport, file: string, tool: Report['tool']): Report {
  const impact = r.rules.filter((x) => x.change !== 'unchanged');
  return {
    command: 'replay',
    tool,
    diagnostics: [],
    findings: [],
    checks: [],
    summary: summarizeFindings([], [], true),
    tables: [
      {
        title: `Alert replay: ${r.alerts} alerts from ${file}; base assumed: ${r.base}; candidate: ${r.candidate}`,
        columns: ['rule', 'change', 'alerts', 'suppressed', 'still fire', 'undecided', 'undecided alerts lack'],
        rows: impact.map((x) => [
          x.rule,
          x.change,
          x.alerts,
          x.suppressed,
          x.fires,
          x.undecided,
          x.missingFields.map((m) => `${m.field} (${m.alerts})`).join(', '),
        ]),
      },
      {
        title: 'Examples',
        columns: ['rule', 'verdict', 'alert', 'decided by'],
        rows: impact.flatMap((x) =>
          (['suppressed', 'fires', 'undecided'] as const).flatMap((v) =>
            x.examples[v].slice(0, 1).map((e) => [x.rule, v, e.output, e.missing.length > 0 ? `lacks ${e.missing.join(', ')}` : e.deciding.join('; ')]),
          ),
        ),
      },
    ],
    data: r,
  };
}
