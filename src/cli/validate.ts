import type { Command } from 'commander';
import { loadRepository, type LoadedEnvironment } from '../environment/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import { renderReport, REPORT_FORMATS, summarizeFindings, type Report } from '../report/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError } from './exit.js';
import { TOOL } from './tool-info.js';
import { renderRulesFile } from '../rules/index.js';
import { checkWithFalcoBinary, type FalcoBinaryCheck } from './falco-binary.js';
import { addTargetOptions, targetFromFlags, type TargetFlags } from './target-options.js';
import { cacheOption, envOption, formatOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';
import { lockDrift } from '../upstream/index.js';

export const validateCommand: CliCommand = {
  name: 'validate',
  register(program: Command, io, done) {
    addTargetOptions(program.command('validate'), "default: each environment's falco: targets")
      .description("Merge and compile every environment's layers as Falco would, and report every error and warning with its location")
      .addOption(envOption('validate only this environment'))
      .option('--falco-binary <command>', "also run `<command> --validate` on each environment's rendered rules file per target and report any disagreement")
      .addOption(formatOption(REPORT_FORMATS, `${REPORT_FORMATS.join(', ')} (json is a stable, versioned interface)`))
      .addOption(cacheOption())
      .addHelpText(
        'after',
        `
Run at the root of a rules repository (environments/<name>/environment.yaml name each environment's layers).
Each environment is checked against every Falco target of its falco: block (environment.yaml, else
defaults.falco in falco-gitops.yaml, else the newest Falco release with its default plugins); a problem
that holds for some targets only names them. --falco-version/--plugin replace those targets.

Examples:
  falco-gitops validate                          # every environment
  falco-gitops validate --env production         # one environment
  falco-gitops validate --falco-version 0.42.0    # every environment, against Falco 0.42.0
  falco-gitops validate --falco-version 0.42.0 --falco-binary 'docker run --rm -v /tmp:/tmp falcosecurity/falco:0.42.0 falco'
  falco-gitops validate --format json | jq '.data.environments[] | {environment, ok}'

Every vendored upstream file is checked against the sha256 in rules/upstream/upstream.lock.yaml: a file
edited by hand, a pinned file that is gone, or an unpinned rules file in rules/upstream/ is an error
(UPSTREAM_LOCK_DRIFT) naming the file.

Exit codes: 0 every environment loads · 1 Falco would refuse an environment, a vendored upstream file drifted from the lock, or (where policy.warningsAsErrors) warnings · 2 configuration or usage error`,
      )
      .action((opts: { env: string[]; format: string; cache: boolean; falcoBinary?: string } & TargetFlags) => {
        const format = parseFormat(opts.format, REPORT_FORMATS);
        const target = targetFromFlags(opts);
        const reader = fsRepositoryReader(io.cwd);
        const load = loadRepository(reader, opts.env, { targets: target && [target], parse: parserFor(opts.cache, io.env) });
        if (!load.ok) {
          for (const d of sortDiagnostics(load.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(load.message));
          return;
        }
        const report = validationReport(load.environments, lockDrift(reader));
        if (opts.falcoBinary) addFalcoBinaryChecks(report, load.environments, opts.falcoBinary, io.cwd);
        io.stdout(renderReport(report, format));
        done(report.summary.passed ? CLEAN : FINDINGS);
      });
  },
};

export interface EnvironmentValidation {
  environment: string;
  /** The Falco target this row is for, e.g. "falco 0.44.1 (container)". */
  target: string;
  ok: boolean;
  rules: number;
  enabledRules: number;
  errors: number;
  warnings: number;
}

/**
 * One report for all environments: diagnostics of shared files appear once, a table says how each
 * environment fared. `lockProblems` (vendored upstream files that left the lock) fail it too.
 */
export function validationReport(environments: readonly LoadedEnvironment[], lockProblems: readonly Diagnostic[] = []): Report {
  const rows: EnvironmentValidation[] = environments.flatMap((e) =>
    e.targets.map((t) => {
      const errors = t.ruleset.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = t.ruleset.diagnostics.length - errors;
      const strict = e.environment.policy.warningsAsErrors;
      return {
        environment: e.environment.name,
        target: t.label,
        ok: errors === 0 && (!strict || warnings === 0),
        rules: t.ruleset.rules.length,
        enabledRules: t.ruleset.rules.filter((r) => r.enabled).length,
        errors,
        warnings,
      };
    }),
  );
  const diagnostics = uniqueDiagnostics([...lockProblems, ...environments.flatMap((e) => e.diagnostics)]);
  const passed = rows.every((r) => r.ok) && !lockProblems.some((d) => d.severity === 'error');
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
        columns: ['environment', 'target', 'result', 'rules', 'enabled', 'errors', 'warnings'],
        rows: rows.map((r) => [r.environment, r.target, r.ok ? 'ok' : 'FAILED', r.rules, r.enabledRules, r.errors, r.warnings]),
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

/** Real Falco's verdict on each environment's rendered rules file, per target; a disagreement fails the gate. */
function addFalcoBinaryChecks(report: Report, environments: readonly LoadedEnvironment[], command: string, cwd: string): void {
  const rows: (string | number)[][] = [];
  const checks: ({ environment: string; target: string } & FalcoBinaryCheck)[] = [];
  for (const e of environments) {
    for (const t of e.targets) {
      const check = checkWithFalcoBinary(command, cwd, e.environment.artifact.rulesFileName, renderRulesFile(t.ruleset), t.ruleset.ok);
      checks.push({ environment: e.environment.name, target: t.label, ...check });
      rows.push([
        e.environment.name,
        t.label,
        check.ours ? 'loads' : 'refused',
        check.falco ? 'loads' : 'refused',
        check.agree ? 'agree' : `DISAGREE: ${check.output.split('\n').at(-1) ?? ''}`,
      ]);
    }
  }
  report.tables.push({ title: 'Falco binary', columns: ['environment', 'target', 'falco-gitops', 'falco --validate', 'result'], rows });
  report.data = { ...(report.data as object), falcoBinary: checks };
  if (checks.some((c) => !c.agree)) report.summary = { ...report.summary, passed: false };
}
