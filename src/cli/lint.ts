import type { Command } from 'commander';
import { CHECKS, lintReport, type LintEnvironment, type LintPolicy } from '../analysis/lint/index.js';
import { loadRepository } from '../environment/index.js';
import { findUnknownCheckIds, fsRepositoryReader, type Policy } from '../config/index.js';
import { openRepository, readRevision } from '../git/index.js';
import { REPORT_FORMATS, renderReport } from '../report/index.js';
import { loadRules, readRulesFile, type CompiledRuleset, type RulesFile } from '../rules/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, CliError, FINDINGS, inputError, usageError } from './exit.js';
import { readRulesInputs } from './rules-input.js';
import { TOOL } from './tool-info.js';
import { cacheOption, envOption, formatOption, repeatableOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';

const UPSTREAM_DIR = 'rules/upstream/';

export const lintCommand: CliCommand = {
  name: 'lint',
  register(program: Command, io, done) {
    program
      .command('lint')
      .description("Check rules against the Falco community's tuning and performance guidance (one check per docs/checks/<id>.md page)")
      .argument('[files...]', 'bare rules files in load order (no repository configuration); default: the repository in the current directory')
      .addOption(envOption('lint only this environment'))
      .addOption(repeatableOption('--upstream <file>', 'with FILE...: a file holding upstream defaults, loaded first', 'none'))
      .option('--base <ref>', 'the revision this change starts from (e.g. origin/main): enables priority-for-new-rule')
      .addOption(formatOption(REPORT_FORMATS, 'text, json, markdown or sarif'))
      .addOption(cacheOption())
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops lint                                   # every environment of the repository here
  falco-gitops lint --env production --format sarif > lint.sarif
  falco-gitops lint --base origin/main --format markdown   # a pull-request comment
  falco-gitops lint --upstream falco_rules.yaml my_rules.yaml

Suppress one finding with a comment above the item (the reason is required):
  # falco-gitops-disable-next-item or-chain-to-in: kept as upstream wrote it

Exit codes: 0 clean · 1 findings that fail the gate (errors, or checks the policy fails on), or rules Falco would refuse · 2 usage or input error`,
      )
      .action(async (files: string[], opts: { env: string[]; upstream: string[]; base?: string; format: string; cache: boolean }) => {
        const format = parseFormat(opts.format, REPORT_FORMATS);
        if (files.length > 0 && opts.env.length > 0) return done(usageError('give either rules files or --env, not both'));
        if (files.length === 0 && opts.upstream.length > 0) return done(usageError('--upstream needs rules files to lint'));
        if (files.length > 0 && opts.base !== undefined) return done(usageError('--base works on the repository, not on bare rules files'));
        let environments: LintEnvironment[];
        let upstream: (file: string) => boolean;
        if (files.length > 0) {
          const upstreamSources = await readRulesInputs(opts.upstream, io.cwd);
          const sources = [...upstreamSources, ...(await readRulesInputs(files, io.cwd))];
          const parsed = sources.map((s) => readRulesFile(s));
          const compiled = loadRules(sources, { read: (s) => parsed[sources.indexOf(s)] });
          const upstreamPaths = new Set(upstreamSources.map((s) => s.path));
          upstream = (file) => upstreamPaths.has(file);
          environments = [{ files: parsed, compiled }];
        } else {
          const parse = parserFor(opts.cache, io.env);
          const load = loadRepository(fsRepositoryReader(io.cwd), opts.env, { parse });
          if (!load.ok) {
            for (const d of load.diagnostics) io.stderr(`${d.location.file}:${d.location.line}:${d.location.column}: ${d.message}\n`);
            return done(inputError(load.message));
          }
          // Checked here, not in the loader: build/, diff/ and upstream/ load the config too and know nothing of lint checks.
          const unknownChecks = findUnknownCheckIds(
            load.config.policyCheckRefs,
            CHECKS.map((c) => c.id),
          );
          if (unknownChecks.length > 0) {
            for (const d of unknownChecks) io.stderr(`${d.location.file}:${d.location.line}:${d.location.column}: ${d.message}\n`);
            return done(inputError('the repository configuration names unknown lint checks'));
          }
          upstream = (file) => file.startsWith(UPSTREAM_DIR);
          const bases = new Map<string, CompiledRuleset>();
          if (opts.base !== undefined) {
            const revision = await readRevision(openRepository(io.cwd), opts.base);
            if (!revision.ok) throw new CliError(`--base: ${revision.message}`);
            const before = loadRepository(revision.value, [], { parse });
            if (!before.ok) throw new CliError(`--base ${opts.base}: ${before.message}`);
            for (const env of before.environments) if (env.ruleset) bases.set(env.environment.name, env.ruleset);
          }
          environments = load.environments.map((env) => {
            const parsed: RulesFile[] = env.inputs.map((i) => load.cache.read(load.cache.source(i.path)!));
            const base = bases.get(env.environment.name);
            return {
              name: env.environment.name,
              files: parsed,
              compiled: env.ruleset!,
              policy: lintPolicyFrom(env.environment.policy),
              ...(base ? { base } : {}),
            };
          });
        }
        const report = lintReport(environments, CHECKS, { toolVersion: TOOL.version, isUpstream: upstream });
        io.stdout(renderReport(report, format));
        done(report.summary.passed ? CLEAN : FINDINGS);
      });
  },
};

/** The repository's per-environment policy as the checks read it. */
export function lintPolicyFrom(policy: Policy): LintPolicy {
  const { lint } = policy;
  const severity: NonNullable<LintPolicy['severity']> = { ...lint.severity };
  for (const id of lint.disable) severity[id] = 'off';
  const fail = [...lint.failOn];
  if (policy.warningsAsErrors) {
    for (const c of CHECKS) if ((severity[c.id] ?? c.severity) === 'warning' && !fail.includes(c.id)) fail.push(c.id);
  }
  return {
    severity,
    fail,
    ...(lint.requiredTags.length > 0 ? { requiredTags: [...lint.requiredTags] } : {}),
    ...(lint.costBudget !== null ? { costBudget: lint.costBudget } : {}),
    ...(lint.costTableSize !== null ? { costTableSize: lint.costTableSize } : {}),
  };
}
