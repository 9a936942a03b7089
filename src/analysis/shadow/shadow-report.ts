import type { Diagnostic } from '../../diagnostics/index.js';
import type { Finding, Report } from '../../report/index.js';
import { SHADOW_SCHEMA_VERSION, type ShadowFinding } from './shadow-finding.js';

/**
 * The `upstream check` Report: one finding per shadowed default (the JSON data is the findings
 * themselves), and the errors Falco would report loading the new upstream with our files.
 */
export function buildShadowReport(findings: ShadowFinding[], tool: Report['tool'], diagnostics: Diagnostic[] = []): Report {
  const reportFindings = findings.map((f) => shadowFindingToFinding(f));
  const count = (s: ShadowFinding['severity']) => findings.filter((f) => f.severity === s).length;
  return {
    command: 'upstream check',
    tool,
    diagnostics,
    findings: reportFindings,
    checks: [
      { id: 'changed-underneath', summary: 'Upstream changed an item we replace', severity: 'warning' },
      { id: 'orphaned', summary: 'Upstream removed or renamed an item we override or append to', severity: 'error' },
      { id: 'inherited', summary: 'A new upstream rule now uses a macro or list we replace', severity: 'warning' },
      { id: 'hook-available', summary: 'Upstream now offers a tuning hook for a rule we replace', severity: 'note' },
    ],
    summary: {
      passed: count('error') + count('warning') + diagnostics.length === 0,
      errors: count('error') + diagnostics.length,
      warnings: count('warning'),
      notes: count('note'),
      suppressed: 0,
    },
    tables: [],
    data: { schemaVersion: SHADOW_SCHEMA_VERSION, findings },
  };
}

/** One shadowed default as a report finding on our item, with the upstream items as related locations; `checkIdPrefix` namespaces the check id in reports that mix checks (ci: `shadow/`). */
export function shadowFindingToFinding(f: ShadowFinding, checkIdPrefix = ''): Finding {
  return {
    checkId: `${checkIdPrefix}${f.kind}`,
    messageId: f.itemType,
    severity: f.severity,
    message: f.message,
    location: f.ours,
    itemType: f.itemType,
    itemName: f.itemName,
    ...(f.environment === undefined ? {} : { environment: f.environment }),
    hint: f.fix,
    related: [
      ...(f.base ? [{ message: `upstream (base) ${f.itemType} '${f.itemName}'`, location: f.base }] : []),
      ...(f.theirs ? [{ message: `upstream (new) ${f.itemType} '${f.renamedTo ?? f.itemName}'`, location: f.theirs }] : []),
    ],
  };
}

/** The three-way view of a finding's fields, for text output. */
export function renderFieldViews(f: ShadowFinding): string[] {
  const out: string[] = [];
  const show = (v: unknown) =>
    Array.isArray(v) ? `[${v.join(', ')}]` : v === null ? '(not set)' : (typeof v === 'string' ? v : JSON.stringify(v)).replace(/\s+/g, ' ').trim();
  for (const v of f.fields ?? []) {
    out.push(`    ${v.field}:`);
    if (v.added || v.removed) out.push(`      upstream added:   ${show(v.added ?? [])}`, `      upstream removed: ${show(v.removed ?? [])}`);
    out.push(`      base:   ${show(v.base)}`, `      theirs: ${show(v.theirs)}`, `      ours:   ${show(v.ours)}`);
  }
  for (const r of f.rules ?? []) out.push(`    ${r.reason === 'new' ? 'new rule' : 'now uses it'}: ${r.rule}`);
  return out;
}
