import type { AlertSummary } from '../evaluate/index.js';

export function renderSummary(s: AlertSummary, file: string): string {
  const out: string[] = [`${s.alerts} alerts in ${file}${s.malformed > 0 ? ` (${s.malformed} lines were not alerts)` : ''}`, ''];
  for (const r of s.rules) {
    out.push(`${r.alerts}  ${r.rule} (${r.priority})`);
    for (const o of r.outputs) out.push(`    ${o.alerts}  ${o.output}`);
    out.push('  by process / parent / image / file:');
    for (const g of r.byFields)
      out.push(
        `    ${g.alerts}  ${Object.entries(g.fields)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
  }
  if (s.suggestions.length > 0) out.push('', 'Suggested exceptions (add to the environment overlay):');
  for (const x of s.suggestions) {
    out.push(
      '',
      `# ${x.rule}: ${x.alerts} alerts (${Object.entries(x.fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}) via ${x.via}`,
    );
    out.push(x.snippet.trimEnd());
  }
  if (s.notes.length > 0) out.push('', 'No narrow exception suggested:', ...s.notes.map((n) => `  ${n}`));
  return `${out.join('\n')}\n`;
}
