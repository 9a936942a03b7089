/** The `ci` command's one Report: the gates (validate, lint, test, diff, shadow) side by side, and the versions each environment's change implies. */
import type { DiffEnvironmentsResult } from '../analysis/diff/index.js';
import { buildDiffReport } from '../analysis/diff/index.js';
import { shadowFindingToFinding, type ShadowFinding } from '../analysis/shadow/index.js';
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { RuleTestResult } from '../evaluate/index.js';
import { costChart, type ChangedRuleCost } from './cost-chart.js';
import { compareWithBase, summarizeFindings, type CheckDescriptor, type Finding, type FixedProblem, type Report, type ReportTable } from '../report/index.js';
import { compareStrings } from '../config/compare-paths.js';

export const CI_SCHEMA_VERSION = 1;
const VERSIONS_TITLE = 'Versions';

export type GateName = 'validate' | 'lint' | 'test' | 'diff' | 'shadow';

export interface CiGate {
  gate: GateName;
  passed: boolean;
  detail: string;
}

export interface EnvironmentVersion {
  environment: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  bump: 'none' | 'patch' | 'minor' | 'major';
  current: string | null;
  next: string | null;
  changes: number;
  /** Whether Falco would load the head side. */
  loads: boolean;
}

export interface CiParts {
  validation: Report;
  lint: Report;
  tests: readonly RuleTestResult[];
  diff: { result: DiffEnvironmentsResult; base: string; head: string };
  shadow: readonly ShadowFinding[];
  tool: Report['tool'];
  /** Whether a file is a vendored upstream ruleset: its own warnings and findings are counted once, not listed, never gating. */
  isUpstream?: (file: string) => boolean;
  /**
   * The same validation and lint of the base revision, and the places the change touched: problems
   * the base had too are unchanged and never fail a gate; only new ones in the change are listed.
   */
  baseline?: { validation: Report; lint: Report; inChange: (loc: Loc) => boolean };
  /** The expected cost of each changed rule at the base and the head: charted in the comment. */
  costs?: readonly ChangedRuleCost[];
}

export interface CiData {
  schemaVersion: number;
  base: string;
  head: string;
  gates: CiGate[];
  versions: EnvironmentVersion[];
  costs?: ChangedRuleCost[];
}

const TEST_CHECK: CheckDescriptor = {
  id: 'rule-test',
  summary: 'A rule test (rules/tests, environments/<env>/tests) expects what the rules do',
  severity: 'error',
};
const SHADOW_SUMMARIES: Record<ShadowFinding['kind'], string> = {
  'changed-underneath': 'Upstream changed an item we replace',
  orphaned: 'We patch an item upstream no longer has',
  inherited: 'Upstream rules now reach an item we replaced',
  'hook-available': 'Upstream now offers a hook instead of our replacement',
};

export function buildCiReport(parts: CiParts): Report & { data: CiData } {
  const testFindings = parts.tests.filter((t) => !t.passed).map(testFinding);
  const shadowFindings = parts.shadow.map((f) => shadowFindingToFinding(f, 'shadow/'));
  const diffReport = buildDiffReport(parts.diff.result, parts.tool, { base: parts.diff.base, head: parts.diff.head });
  const isUpstream = parts.isUpstream ?? (() => false);
  const allDiagnostics = uniqueDiagnostics([...parts.validation.diagnostics, ...parts.lint.diagnostics, ...parts.diff.result.diagnostics]);
  // upstream's errors stay listed: Falco would refuse the file whoever wrote it
  const isUpstreamWarning = (d: Diagnostic) => d.severity !== 'error' && isUpstream(d.location.file);
  const upstreamDiagnostics = allDiagnostics.filter(isUpstreamWarning);
  let diagnostics = allDiagnostics.filter((d) => !isUpstreamWarning(d));
  const upstreamFindings = parts.lint.findings.filter((f) => isUpstream(f.location.file));
  let ownLintFindings = parts.lint.findings.filter((f) => !isUpstream(f.location.file));
  let fixed: FixedProblem[] = [];
  if (parts.baseline !== undefined) {
    const { validation, lint, inChange } = parts.baseline;
    const baseDiagnostics = uniqueDiagnostics([...validation.diagnostics, ...lint.diagnostics]).filter((d) => !isUpstreamWarning(d));
    const byDiagnostic = compareWithBase(diagnostics, baseDiagnostics, inChange);
    const byFinding = compareWithBase(
      ownLintFindings,
      lint.findings.filter((f) => !isUpstream(f.location.file)),
      inChange,
    );
    diagnostics = byDiagnostic.marked;
    ownLintFindings = byFinding.marked;
    fixed = [...byDiagnostic.fixed, ...byFinding.fixed];
  }
  const isNew = (p: Diagnostic | Finding) => p.baseline?.state !== 'unchanged';
  // Falco refuses rules with an error whoever introduced it; everything else gates only when new
  const validatePassed =
    parts.baseline === undefined
      ? parts.validation.summary.passed
      : !diagnostics.some((d) => d.severity === 'error') && (parts.validation.summary.passed || !diagnostics.some(isNew));
  const lintPassed =
    parts.baseline === undefined
      ? parts.lint.summary.passed
      : parts.lint.diagnostics.length === 0 && !ownLintFindings.some((f) => f.fails === true && isNew(f));
  const newLint = ownLintFindings.filter(isNew).length;
  const fixedLint = fixed.filter((f) => !f.id.startsWith('LOAD_')).length;
  const failedTests = testFindings.length;
  const shadowErrors = parts.shadow.filter((f) => f.severity === 'error').length;
  const versions: EnvironmentVersion[] = parts.diff.result.environments.map((e) => ({
    environment: e.environment,
    status: e.status,
    bump: e.bump,
    current: e.currentVersion,
    next: e.suggestedVersion,
    changes: e.diff.changes.length,
    loads: e.headLoads,
  }));
  const diffErrors = parts.diff.result.diagnostics.filter((d) => d.severity === 'error').length;
  const gates: CiGate[] = [
    {
      gate: 'validate',
      passed: validatePassed,
      detail: `${parts.validation.summary.errors} error(s), ${parts.validation.summary.warnings} warning(s)`,
    },
    {
      gate: 'lint',
      passed: lintPassed,
      detail:
        (parts.baseline === undefined
          ? `${ownLintFindings.length} finding(s)`
          : `${newLint} new, ${ownLintFindings.length - newLint} unchanged, ${fixedLint} fixed finding(s)`) +
        (upstreamFindings.length > 0 ? `, ${upstreamFindings.length} in upstream's files (not gating)` : ''),
    },
    {
      gate: 'test',
      passed: failedTests === 0,
      detail:
        parts.tests.length === 0
          ? 'no rule tests yet (rules/tests/, environments/<env>/tests/)'
          : `${parts.tests.length - failedTests} passed, ${failedTests} failed`,
    },
    { gate: 'diff', passed: diffErrors === 0, detail: `${versions.filter((v) => v.status !== 'unchanged').length} environment(s) changed` },
    { gate: 'shadow', passed: shadowErrors === 0, detail: `${parts.shadow.length} shadowed default(s), ${shadowErrors} error(s)` },
  ];
  const findings = [...ownLintFindings, ...testFindings, ...shadowFindings];
  const passed = gates.every((g) => g.passed);
  const shadowKinds = [...new Set(parts.shadow.map((f) => f.kind))].sort();
  const checks: CheckDescriptor[] = [
    ...parts.lint.checks,
    ...(failedTests > 0 ? [TEST_CHECK] : []),
    ...shadowKinds.map((k): CheckDescriptor => ({ id: `shadow/${k}`, summary: SHADOW_SUMMARIES[k], severity: 'warning' })),
  ];
  const tables: ReportTable[] = [
    { title: 'Gates', columns: ['gate', 'result', 'detail'], rows: gates.map((g) => [g.gate, g.passed ? 'passed' : 'FAILED', g.detail]) },
    {
      title: VERSIONS_TITLE,
      columns: ['environment', 'status', 'changes', 'bump', 'version'],
      rows: versions.map((v) => [
        v.environment,
        v.loads ? v.status : `${v.status}, does not load`,
        v.changes,
        v.bump,
        v.current === v.next || v.next === null ? (v.current ?? '') : `${v.current} → ${v.next}`,
      ]),
    },
    ...diffReport.tables.slice(1),
    ...upstreamTable(upstreamFindings, upstreamDiagnostics),
  ];
  const chart = costChart(parts.costs ?? [], VERSIONS_TITLE);
  return {
    command: 'ci',
    tool: parts.tool,
    diagnostics,
    findings,
    checks,
    // with a baseline the counts are of what this change brings
    summary: summarizeFindings(findings.filter(isNew), diagnostics.filter(isNew), passed, parts.lint.summary.suppressed),
    tables,
    data: {
      schemaVersion: CI_SCHEMA_VERSION,
      base: parts.diff.base,
      head: parts.diff.head,
      gates,
      versions,
      ...(parts.costs === undefined ? {} : { costs: [...parts.costs] }),
    },
    ...(chart === null ? {} : { charts: [chart] }),
    ...(parts.baseline === undefined ? {} : { baseline: { base: parts.diff.base, fixed } }),
  };
}

/** The step outputs a workflow reads: `passed`, `changed` (JSON list), `versions` and `bumps` (JSON objects by environment). */
export function ciOutputs(data: CiData): Record<string, string> {
  const changed = data.versions.filter((v) => v.status !== 'unchanged' && v.status !== 'removed');
  return {
    passed: String(data.gates.every((g) => g.passed)),
    changed: JSON.stringify(changed.map((v) => v.environment)),
    versions: JSON.stringify(Object.fromEntries(changed.map((v) => [v.environment, v.next]))),
    bumps: JSON.stringify(Object.fromEntries(changed.map((v) => [v.environment, v.bump]))),
  };
}

function testFinding(t: RuleTestResult): Finding {
  const first = t.failures[0];
  const what = t.failures.map((f) => `rule "${f.rule}" expected ${f.expected}, got ${f.actual}`).join('; ');
  return {
    checkId: TEST_CHECK.id,
    messageId: 'failed',
    severity: 'error',
    message: `test "${t.name}" failed: ${what}`,
    location: { file: t.file, line: t.line, column: 1 },
    itemType: 'rule',
    itemName: first?.rule ?? '',
    environment: t.environment,
  };
}

/** Upstream's own warnings and findings, once, by check or code: a reviewer can act only on ours. */
function upstreamTable(findings: readonly Finding[], diagnostics: readonly Diagnostic[]): ReportTable[] {
  const counts = new Map<string, { what: string; files: Set<string>; count: number }>();
  const add = (key: string, what: string, file: string) => {
    const entry = counts.get(key) ?? { what, files: new Set<string>(), count: 0 };
    entry.count++;
    entry.files.add(file);
    counts.set(key, entry);
  };
  for (const f of findings) add(f.checkId, 'lint', f.location.file);
  for (const d of diagnostics) add(d.code, 'load', d.location.file);
  if (counts.size === 0) return [];
  const rows = [...counts.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([key, e]) => [key, e.what, e.count, [...e.files].sort().join(', ')]);
  return [{ title: "Upstream's own findings (not listed, never gating)", columns: ['check or code', 'kind', 'count', 'files'], rows }];
}

function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    const key = JSON.stringify([d.code, d.severity, d.location, d.itemName, d.message]);
    if (!seen.has(key)) seen.set(key, d);
  }
  return [...seen.values()];
}
