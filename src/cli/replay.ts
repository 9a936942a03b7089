import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadRepository } from '../environment/index.js';
import { fsRepositoryReader, type RepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/index.js';
import { createReplayAccumulator, defaultFieldTypes, planReplay } from '../evaluate/index.js';
import { listFilesAt, openRepository, readFilesAt, resolveRevision } from '../git/index.js';
import { renderMarkdown, renderJsonDocument } from '../report/index.js';
import { loadRules, type CompiledRuleset } from '../rules/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, CliError, inputError } from './exit.js';
import type { CliIO } from './io.js';
import { readRulesInputs } from './rules-input.js';
import { formatOption } from './options.js';
import { TOOL } from './tool-info.js';
import { progress, progressDone } from './terminal.js';
import { renderReplay, replayReportModel } from '../report/index.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
const PROGRESS_EVERY = 100_000;

/** Field types from the default catalog (syscall fields include the container plugin's). */
/** A labelled ruleset: what a replay or summary evaluates against. */
export interface NamedRuleset {
  label: string;
  ruleset: CompiledRuleset;
}

/** Loads one environment's ruleset through a repository reader; throws CliError (exit 2) on bad input. */
export function loadEnvironmentRuleset(reader: RepositoryReader, env: string | undefined, where: string): { env: string; ruleset: CompiledRuleset } {
  const load = loadRepository(reader, env === undefined ? [] : [env]);
  if (!load.ok) {
    const details = sortDiagnostics(load.diagnostics).map(formatDiagnostic);
    throw new CliError([`${where}: ${load.message}`, ...details].join('\n'));
  }
  if (env === undefined && load.environments.length !== 1) {
    throw new CliError(`${where}: several environments (${load.environments.map((e) => e.environment.name).join(', ')}); choose one with --env`, 'usage-error');
  }
  const loaded = load.environments[0];
  if (!loaded?.ruleset) throw new CliError(`${where}: environment could not be loaded`);
  return { env: loaded.environment.name, ruleset: loaded.ruleset };
}

/** A repository reader over one git revision (rules, environments and config files only). */
export async function gitRevisionReader(dir: string, ref: string): Promise<{ reader: RepositoryReader; commit: string }> {
  const repo = openRepository(dir);
  const commit = await resolveRevision(repo, ref);
  if (!commit.ok) throw new CliError(`--base ${ref}: ${commit.message}`);
  const listed = await listFilesAt(repo, commit.value);
  if (!listed.ok) throw new CliError(`--base ${ref}: ${listed.message}`);
  const wanted = listed.value.filter((p) => /\.(ya?ml|lock)$/.test(p));
  const files = await readFilesAt(repo, commit.value, wanted);
  if (!files.ok) throw new CliError(`--base ${ref}: ${files.message}`);
  const texts = files.value;
  return {
    commit: commit.value,
    reader: {
      readText: (path) => texts.get(path),
      listFiles: (dir) => {
        const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
        return [...texts.keys()].filter((p) => p.startsWith(prefix));
      },
    },
  };
}

/**
 * Streams a file line by line (bounded memory), with a progress line on a terminal.
 * Throws CliError when the file cannot be read.
 */
export async function streamLines(path: string, io: CliIO, onLine: (line: string, lineNumber: number) => void): Promise<number> {
  const absolute = resolve(io.cwd, path);
  try {
    const info = await stat(absolute);
    if (!info.isFile()) throw new CliError(`${path}: not a regular file`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'input-error');
  }
  const lines = createInterface({ input: createReadStream(absolute, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    onLine(line, n);
    if (n % PROGRESS_EVERY === 0) progress(io, `${path}: ${n.toLocaleString('en-US')} lines`);
  }
  if (n >= PROGRESS_EVERY) progressDone(io);
  return n;
}

interface ReplayOptions {
  alerts: string;
  env?: string;
  base?: string;
  rules?: string[];
  baseRules?: string[];
  examples: string;
  format: string;
}

export const replayCommand: CliCommand = {
  name: 'replay',
  register(program: Command, io, done) {
    program
      .command('replay')
      .description(
        "Re-evaluate recorded Falco alerts (JSON lines) against a changed ruleset: per rule, how many would be suppressed, still fire, or stay undecided. Only what changed is evaluated on the alert's fields; the rest of the condition is known to have held under the base ruleset",
      )
      .requiredOption('--alerts <file>', 'Falco JSON alerts, one per line (json_output, or falcosidekick)')
      .option('--env <name>', 'the environment whose working-tree ruleset is the candidate')
      .option('--base <ref>', 'git revision whose ruleset raised the alerts (default: HEAD)')
      .option('--rules <files...>', 'candidate rules files instead of an environment, in load order')
      .option('--base-rules <files...>', 'with --rules: the rules files that raised the alerts (default: the candidate itself)')
      .option('--examples <n>', 'examples kept per rule and verdict', '3')
      .addOption(formatOption(FORMATS, 'text, json (stable, versioned) or markdown (the impact section of a PR comment)'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops replay --alerts events.jsonl --env production --base origin/main   # the PR's impact
  falco-gitops replay --alerts events.jsonl --env production --format markdown     # as a PR comment section
  falco-gitops replay --alerts events.jsonl --rules falco_rules.yaml tuned.yaml --base-rules falco_rules.yaml
  falco-gitops replay --alerts events.jsonl --env staging --format json | jq '.rules[] | select(.suppressed > 0)'

Exit codes: 0 replayed · 2 unreadable alerts or rules, unknown environment or revision, usage error`,
      )
      .action(async (opts: ReplayOptions) => {
        const format = parseFormat(opts.format, FORMATS);
        const examples = Number(opts.examples);
        if (!Number.isInteger(examples) || examples < 0) {
          done(inputError(`--examples must be a whole number, not '${opts.examples}'`));
          return;
        }
        const { candidate, base } = await loadReplayRulesets(opts, io);
        const plan = planReplay(base.ruleset.rules, candidate.ruleset.rules, defaultFieldTypes());
        const acc = createReplayAccumulator(plan, { base: base.label, candidate: candidate.label }, examples);
        await streamLines(opts.alerts, io, (line, n) => acc.addLine(line, n));
        const report = acc.report();
        if (format === 'json') io.stdout(renderJsonDocument({ alertsFile: opts.alerts, ...report }));
        else if (format === 'markdown') io.stdout(renderMarkdown(replayReportModel(report, opts.alerts, TOOL)));
        else io.stdout(renderReplay(report, opts.alerts));
        done(CLEAN);
      });
  },
};

async function loadReplayRulesets(opts: ReplayOptions, io: CliIO): Promise<{ candidate: NamedRuleset; base: NamedRuleset }> {
  if (opts.rules && opts.rules.length > 0) {
    if (opts.env !== undefined || opts.base !== undefined)
      throw new CliError('--rules cannot be combined with --env or --base (use --base-rules)', 'usage-error');
    const candidate = { label: `rules files ${opts.rules.join(', ')}`, ruleset: loadRules(await readRulesInputs(opts.rules, io.cwd)) };
    const base =
      opts.baseRules && opts.baseRules.length > 0
        ? { label: `rules files ${opts.baseRules.join(', ')}`, ruleset: loadRules(await readRulesInputs(opts.baseRules, io.cwd)) }
        : { label: `the candidate itself (${candidate.label}); no --base-rules given`, ruleset: candidate.ruleset };
    return { candidate, base };
  }
  if (opts.baseRules) throw new CliError('--base-rules needs --rules', 'usage-error');
  const current = loadEnvironmentRuleset(fsRepositoryReader(io.cwd), opts.env, 'working tree');
  const ref = opts.base ?? 'HEAD';
  let revision: { reader: RepositoryReader; commit: string };
  try {
    revision = await gitRevisionReader(io.cwd, ref);
  } catch (err) {
    // Without --base, a directory outside git replays against the working tree itself.
    if (opts.base !== undefined || !(err instanceof CliError)) throw err;
    const candidate = { label: `environment ${current.env} (working tree)`, ruleset: current.ruleset };
    return { candidate, base: { label: `the candidate itself (${err.message})`, ruleset: current.ruleset } };
  }
  const { reader, commit } = revision;
  const before = loadEnvironmentRuleset(reader, current.env, `--base ${ref}`);
  return {
    candidate: { label: `environment ${current.env} (working tree)`, ruleset: current.ruleset },
    base: { label: `environment ${current.env} at ${ref} (${commit.slice(0, 12)})`, ruleset: before.ruleset },
  };
}
