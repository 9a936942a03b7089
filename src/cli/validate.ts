import type { Command } from 'commander';
import { loadRepository, type LoadedEnvironment } from '../build/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import { renderReport, REPORT_FORMATS, summarizeFindings, type Report } from '../report/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError } from './exit.js';
import { TOOL } from './tool-info.js';
import { envOption, formatOption } from './options.js';

export const validateCommand: CliCommand = {
  name: 'validate',
  register(program: Command, io, done) {
    program
      .command('validate')
      .description("Merge and compile every environment's layers as Falco would, and report every error and warning with its location")
      .addOption(envOption('validate only this environment; default: all'))
      .addOption(formatOption(REPORT_FORMATS, `${REPORT_FORMATS.join(', ')} (json is a stable, versioned interface)`))
      .addHelpText(
        'after',
        `
Run at the root of a rules repository (environments/<name>/environment.yaml name each environment's layers).

Examples:
  falco-gitops validate                          # every environment
  falco-gitops validate --env production         # one environment
  falco-gitops validate --format json | jq '.data.environments[] | {environment, ok}'

Exit codes: 0 every environment loads · 1 Falco would refuse an environment (or warnings, where policy.warningsAsErrors) · 2 configuration or usage error`,
      )
      .action((opts: { env: string[]; format: string }) => {
        const format = parseFormat(opts.format, REPORT_FORMATS);
        const load = loadRepository(fsRepositoryReader(io.cwd), opts.env);
        if (!load.ok) {
          for (const d of sortDiagnostics(load.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(load.message));
          return;
        }
        const report = validationReport(load.environments);
        io.stdout(renderReport(report, format));
        done(report.summary.passed ? CLEAN : FINDINGS);
      });
  },
};

export interface EnvironmentValidation {
  environment: string;
  ok: boolean;
  rules: number;
  enabledRules: number;
  errors: number;
  warnings: number;
}

/** One report for all environments: diagnostics of shared files appear once, a table says how each environment fared. */
export function validationReport(environments: readonly LoadedEnvironment[]): Report {
  const rows: EnvironmentValidation[] = environments.map((e) => {
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = e.diagnostics.length - errors;
    const strict = e.environment.policy.warningsAsErrors;
    return {
      environment: e.environment.name,
      ok: errors === 0 && (!strict || warnings === 0),
      rules: e.ruleset?.rules.length ?? 0,
      enabledRules: e.ruleset?.rules.filter((r) => r.enabled).length ?? 0,
      errors,
      warnings,
    };
  });
  const diagnostics = uniqueDiagnostics(environments.flatMap((e) => e.diagnostics));
  const passed = rows.every((r) => r.ok);
  return {
    command: 'validate',
    tool: TOOL,
    diagnostics,
    findings: [],
    checks: [],
    summary: summarizeFindings([], diagnostics, passed),
    tables: [
      {
        title: 'Environments',
        columns: ['environment', 'result', 'rules', 'enabled', 'errors', 'warnings'],
        rows: rows.map((r) => [r.environment, r.ok ? 'ok' : 'FAILED', r.rules, r.enabledRules, r.errors, r.warnings]),
      },
    ],
    data: { environments: rows },
  };
}

/** The same problem in a file that several environments load is reported once. */
function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    const key = JSON.stringify([d.code, d.severity, d.location, d.itemType, d.itemName, d.message]);
    if (!seen.has(key)) seen.set(key, d);
  }
  return sortDiagnostics([...seen.values()]);
}

