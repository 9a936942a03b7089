/** Lint as a pipeline stage: environments in, a Report out (pure). */
import type { Diagnostic } from '../../diagnostics/index.js';
import { summarizeFindings, type CheckDescriptor, type Report, type ReportTable } from '../../report/index.js';
import type { Check, LintEnvironment } from './define-check.js';
import { ruleCost, type RuleCost } from './cost-model.js';
import { runLint, type LintOptions } from './run-lint.js';
import { compareStrings } from '../../config/compare-paths.js';

export interface LintReportOptions extends LintOptions {
  toolVersion: string;
}

export interface LintData {
  /** The costliest enabled rules per environment ("" for bare files), most expensive first. */
  costs: { environment: string; budget?: number; rules: RuleCost[] }[];
}

export function lintReport(environments: readonly LintEnvironment[], checks: readonly Check[], options: LintReportOptions): Report {
  const result = runLint(environments, checks, options);
  const diagnostics = uniqueErrors(environments.flatMap((e) => e.compiled.diagnostics));
  const costs: LintData['costs'] = environments.map((env) => {
    const size = env.policy?.costTableSize ?? 10;
    const rules = env.compiled.rules
      .filter((r) => r.enabled)
      .map(ruleCost)
      .sort((a, b) => b.expected - a.expected || b.worst - a.worst || compareStrings(a.rule, b.rule))
      .slice(0, size);
    return { environment: env.name ?? '', ...(env.policy?.costBudget === undefined ? {} : { budget: env.policy.costBudget }), rules };
  });
  const tables: ReportTable[] = costs.map((c) => ({
    title: `Costliest rules${c.environment ? ` (${c.environment})` : ''}${c.budget === undefined ? '' : `, budget ${c.budget}`}`,
    columns: ['rule', 'expected cost', 'all comparisons'],
    rows: c.rules.map((r) => [r.rule, r.expected, r.worst]),
  }));
  const descriptors: CheckDescriptor[] = checks.map((c) => ({
    id: c.id,
    summary: c.summary,
    severity: c.severity,
    rationale: c.rationale,
    hint: c.hint,
    helpPath: `docs/checks/${c.id}.md`,
  }));
  if (result.findings.some((f) => f.checkId === 'suppression')) {
    descriptors.push({ id: 'suppression', summary: 'Suppression comments give a reason', severity: 'error' });
  }
  const passed = result.failing === 0 && diagnostics.length === 0;
  const data: LintData = { costs };
  return {
    command: 'lint',
    tool: { name: 'falco-gitops', version: options.toolVersion },
    diagnostics,
    findings: result.findings,
    checks: descriptors,
    summary: summarizeFindings(result.findings, diagnostics, passed, result.suppressed),
    tables,
    data,
  };
}

/** Errors Falco would refuse the rules for, each once however many environments share the file. */
function uniqueErrors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const key = [d.code, d.location.file, d.location.line, d.location.column, d.message].join('\u0000');
    if (!seen.has(key)) seen.set(key, d);
  }
  return [...seen.values()];
}
