import { formatLoc } from '../diagnostics/index.js';
import type { RuleTestResult } from '../evaluate/index.js';

/** Failures in full (event, rule, deciding checks), passes in one line each (or where tests go, when there are none), then `N passed, M failed`. */
export function renderTestResults(results: readonly RuleTestResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const where = formatLoc({ file: r.file, line: r.line, column: 1 });
    if (r.passed) {
      out.push(`ok    [${r.environment}] ${r.name}`);
      continue;
    }
    out.push(`FAIL  [${r.environment}] ${r.name}  (${where})`);
    out.push(
      `  event: ${Object.entries(r.event)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ')}`,
    );
    for (const f of r.failures) {
      out.push(`  rule "${f.rule}": expected ${f.expected}, got ${f.actual}`);
      for (const d of f.deciding) out.push(`    decided by: ${d}`);
      if (f.missing.length > 0) out.push(`    the event lacks: ${f.missing.join(', ')}`);
    }
  }
  const passed = results.filter((r) => r.passed).length;
  if (results.length === 0)
    out.push('no rule tests: add test files under rules/tests/ (every environment) or environments/<env>/tests/ (see `falco-gitops test --help`)');
  out.push(`${passed} passed, ${results.length - passed} failed`);
  return `${out.join('\n')}\n`;
}
