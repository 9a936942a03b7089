import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CHECKS, lintReport } from '../analysis/lint/index.js';
import { findShadowedDefaults, type ShadowFinding } from '../analysis/shadow/index.js';
import {
  appendOutputs,
  appendStepSummary,
  buildCiReport,
  changedRuleCosts,
  changeScope,
  ciOutputs,
  formatAnnotation,
  limitAnnotations,
  readEventPayload,
  readGitHubContext,
  reportAnnotations,
} from '../automation/index.js';
import { loadRepository, type LoadedEnvironment, type RepositoryLoad } from '../environment/index.js';
import { findUnknownCheckIds, fsRepositoryReader, resolveLayers, type RepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/index.js';
import { changedLinesSince, openRepository, readRevision, type RevisionReader } from '../git/index.js';
import { renderReport, renderSarif, type Report } from '../report/index.js';
import { readRulesFile, type CompiledRuleset, type RulesFile } from '../rules/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError } from './exit.js';
import { lintPolicyFrom } from './lint.js';
import { runRepositoryTests } from '../environment/index.js';
import { validationReport } from './validate.js';
import { lockDrift } from '../upstream/index.js';
import { TOOL } from './tool-info.js';
import { cacheOption, envOption, formatOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';
import { diffEnvironments } from '../environment/index.js';
import { progress, progressDone } from './terminal.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
const UPSTREAM_DIR = 'rules/upstream/';

export const ciCommand: CliCommand = {
  name: 'ci',
  register(program: Command, io, done) {
    program
      .command('ci')
      .description(
        'Pull-request checks in one run: validate every environment, lint, run rule tests, diff against the base per environment, check shadowed upstream defaults, and compute the version bumps',
      )
      .option('--base <ref>', "the revision to diff against (default under GitHub Actions: the pull request's base commit from the event payload)")
      .addOption(envOption('check only this environment'))
      .addOption(formatOption(FORMATS, `${FORMATS.join(', ')} (json is a stable, versioned interface)`))
      .addOption(cacheOption())
      .option('--sarif <file>', 'also write SARIF 2.1.0 for code scanning to FILE')
      .option('--markdown <file>', 'also write the Markdown report (the pull-request comment) to FILE')
      .addHelpText(
        'after',
        `
Under GitHub Actions (GITHUB_ACTIONS=true) it also writes the Markdown report to GITHUB_STEP_SUMMARY,
sets the outputs passed, changed, versions and bumps (JSON) in GITHUB_OUTPUT, and prints each finding
as a workflow command (::error file=…,line=…,col=…::…) so it shows on the pull request's lines:
errors first, then warnings, by file and line, at most 10 of each (what GitHub shows per step),
and one notice counting the rest, which the summary and the SARIF file carry in full.

Against the base, each finding is new or unchanged (matched by check, item and message, not by line)
and the base's that are gone are counted as fixed. The Markdown report and the annotations list only
new findings in the rules items the change touched; the rest are counted and collapsed. Gates fail only
on new findings; a load error Falco would refuse fails whoever introduced it.

Examples:
  falco-gitops ci --base origin/main
  falco-gitops ci --base origin/main --markdown report.md --sarif ci.sarif   # what the PR workflow runs
  falco-gitops ci --base main --format json | jq '.data.versions'

Exit codes: 0 every gate passed · 1 a gate failed (validate, which includes upstream files drifted from the lock; lint, test, shadow) · 2 usage or input error (bad ref, configuration)`,
      )
      .action(async (opts: { base?: string; env: string[]; format: string; cache: boolean; sarif?: string; markdown?: string }) => {
        const format = parseFormat(opts.format, FORMATS);
        const github = readGitHubContext(io.env);
        let base = opts.base;
        if (base === undefined && github.eventPath !== null) {
          const event = await readEventPayload(github.eventPath);
          if (!event.ok) return done(inputError(event.message));
          base = event.pullRequest?.baseSha;
        }
        if (base === undefined) return done(usageError('--base is required (outside a pull_request event)'));
        const head = fsRepositoryReader(io.cwd);
        progress(io, 'ci: loading environments');
        const load = loadRepository(head, opts.env, { parse: parserFor(opts.cache, io.env) });
        if (!load.ok) {
          for (const d of sortDiagnostics(load.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          return done(inputError(load.message));
        }
        const unknownChecks = findUnknownCheckIds(
          load.config.policyCheckRefs,
          CHECKS.map((c) => c.id),
        );
        if (unknownChecks.length > 0) {
          for (const d of sortDiagnostics(unknownChecks)) io.stderr(`${formatDiagnostic(d)}\n`);
          return done(inputError('the repository configuration names unknown lint checks'));
        }
        const repo = openRepository(io.cwd);
        const baseRevision = await readRevision(repo, base);
        if (!baseRevision.ok) return done(inputError(baseRevision.message));
        const changed = await changedLinesSince(repo, baseRevision.value.commit);
        if (!changed.ok) return done(inputError(changed.message));
        progress(io, 'ci: running rule tests');
        const tests = runRepositoryTests(head, load);
        if (!tests.ok) {
          for (const d of sortDiagnostics(tests.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          return done(inputError(`${tests.diagnostics.length} problem(s) in test files`));
        }
        progress(io, `ci: linting, diffing against ${base}, checking shadowed defaults`);
        const tool = TOOL;
        const lintOf = (l: RepositoryLoad | null) =>
          lintReport(l === null ? [] : lintEnvironments(l), CHECKS, {
            toolVersion: TOOL.version,
            isUpstream: (file) => file.startsWith(UPSTREAM_DIR),
            upstreamGates: false,
          });
        const baseline = baseChecks(baseRevision.value, opts.env, lintOf, load);
        const diff = diffEnvironments(baseRevision.value, head, opts.env, { head: load, base: baseline.load ?? undefined });
        const report = buildCiReport({
          validation: validationReport(load.environments, lockDrift(head)),
          lint: lintOf(load),
          baseline: { validation: baseline.validation, lint: baseline.lint, inChange: changeScope(changed.value, loadedFiles(load)) },
          costs: changedRuleCosts(diff, baseline.rulesets, rulesetsOf(load)),
          tests: tests.results,
          diff: { result: diff, base, head: 'working tree' },
          shadow: shadowedDefaults(baseRevision.value, load),
          tool,
          isUpstream: (file) => file.startsWith(UPSTREAM_DIR),
        });
        progressDone(io);
        io.stdout(renderReport(report, format));
        try {
          if (opts.sarif !== undefined) await writeFile(absolute(io.cwd, opts.sarif), renderSarif(report), 'utf8');
          if (opts.markdown !== undefined) await writeFile(absolute(io.cwd, opts.markdown), renderReport(report, 'markdown'), 'utf8');
          if (github.actions) {
            const seeAlso = [
              ...(github.stepSummaryPath !== null ? ['the job summary'] : []),
              ...(opts.sarif !== undefined ? [`the SARIF report (${opts.sarif})`] : []),
            ];
            const command = io.workflowCommand ?? ((line: string) => io.stdout(`${line}\n`));
            for (const a of limitAnnotations(reportAnnotations(report), seeAlso.length > 0 ? seeAlso.join(' and ') : 'the report above'))
              command(formatAnnotation(a));
            if (github.stepSummaryPath !== null) await appendStepSummary(github.stepSummaryPath, renderReport(report, 'markdown'));
            if (github.outputPath !== null) await appendOutputs(github.outputPath, ciOutputs(report.data));
          }
        } catch (err) {
          return done(inputError(`cannot write a result file: ${err instanceof Error ? err.message : String(err)}`));
        }
        done(report.summary.passed ? CLEAN : FINDINGS);
      });
  },
};

function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

export function lintEnvironments(load: RepositoryLoad) {
  return load.environments
    .filter((env): env is LoadedEnvironment & { ruleset: NonNullable<LoadedEnvironment['ruleset']> } => env.ruleset !== null)
    .map((env) => ({
      name: env.environment.name,
      files: env.inputs.map((i) => load.cache.read(load.cache.source(i.path)!)),
      compiled: env.ruleset,
      policy: lintPolicyFrom(env.environment.policy),
    }));
}

/** Validation and lint of the base revision, and its rulesets; a base the tool cannot load (say, before it was set up) has no problems to compare with. */
function baseChecks(
  base: RevisionReader,
  only: readonly string[],
  lintOf: (l: RepositoryLoad | null) => Report,
  head: RepositoryLoad,
): { validation: Report; lint: Report; rulesets: Map<string, CompiledRuleset>; load: RepositoryLoad | null } {
  const load = loadRepository(base, only, { sharing: head.cache });
  if (!load.ok) return { validation: validationReport([]), lint: lintOf(null), rulesets: new Map(), load: null };
  return { validation: validationReport(load.environments, lockDrift(base)), lint: lintOf(load), rulesets: rulesetsOf(load), load };
}

function rulesetsOf(load: RepositoryLoad): Map<string, CompiledRuleset> {
  return new Map(load.environments.flatMap((e) => (e.ruleset === null ? [] : [[e.environment.name, e.ruleset] as const])));
}

function loadedFiles(load: RepositoryLoad): RulesFile[] {
  const paths = [...new Set(load.environments.flatMap((e) => e.inputs.map((i) => i.path)))];
  return paths.map((p) => load.cache.source(p)).flatMap((source) => (source === undefined ? [] : [load.cache.read(source)]));
}

/** Per environment: our files over the upstream files the base pinned versus those the head pins (nothing when the pin did not move). */
export function shadowedDefaults(base: RepositoryReader, load: RepositoryLoad): ShadowFinding[] {
  const findings: ShadowFinding[] = [];
  for (const env of load.environments) {
    const headUpstream = env.inputs.map((i) => i.path).filter((p) => p.startsWith(UPSTREAM_DIR));
    const baseUpstream = resolveLayers(env.environment, base).files.filter((p) => p.startsWith(UPSTREAM_DIR));
    const same =
      headUpstream.length === baseUpstream.length && headUpstream.every((p, i) => p === baseUpstream[i] && base.readText(p) === load.cache.source(p)?.text);
    if (same) continue;
    const parse = (path: string, text: string | undefined): RulesFile[] => (text === undefined ? [] : [readRulesFile({ path, text })]);
    findings.push(
      ...findShadowedDefaults({
        base: baseUpstream.flatMap((p) => parse(p, base.readText(p))),
        theirs: headUpstream.map((p) => load.cache.read(load.cache.source(p)!)),
        ours: env.inputs.filter((i) => !i.path.startsWith(UPSTREAM_DIR)).map((i) => load.cache.read(load.cache.source(i.path)!)),
        environment: env.environment.name,
        mergeCache: load.cache.merge,
      }),
    );
  }
  return findings;
}
