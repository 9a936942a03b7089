import type { Command } from 'commander';
import { buildDiffReport, renderDiffMarkdown } from '../analysis/diff/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { openRepository, readRevision } from '../git/index.js';
import { renderReport } from '../report/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, CliError, FINDINGS } from './exit.js';
import { TOOL } from './tool-info.js';
import { envOption, formatOption } from './options.js';
import { diffEnvironments } from '../environment/index.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

interface DiffOptions {
  base: string;
  head?: string;
  env: string[];
  format: string;
  maxChars: string;
}

export const diffCommand: CliCommand = {
  name: 'diff',
  register(program: Command, io, done) {
    program
      .command('diff')
      .description(
        'Per environment, the effective difference between two git revisions (rules, compiled conditions, event types, priorities, tags, outputs, exceptions, lists) and the semver bump it implies',
      )
      .requiredOption('--base <ref>', 'the older revision, e.g. origin/main or production/v1.6.0')
      .option('--head <ref>', 'the newer revision (default: the working tree)')
      .addOption(envOption('only this environment'))
      .addOption(formatOption(FORMATS, 'text, json (stable, versioned) or markdown (the PR comment)'))
      .option('--max-chars <n>', 'markdown: cut the comment at this length, with a note', '60000')
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops diff --base origin/main --format markdown   # the PR comment
  falco-gitops diff --base production/v1.6.0 --head HEAD --env production --format json

The bump follows falcosecurity/rules' checker: major for removals, fewer event types, disabling,
lower priority; minor for additions and higher requirements; patch for list items, exceptions,
outputs and condition tweaks.

Exit codes: 0 compared · 1 an environment Falco would refuse at head · 2 usage or input error`,
      )
      .action(async (opts: DiffOptions) => {
        const format = parseFormat(opts.format, FORMATS);
        const maxChars = Number(opts.maxChars);
        if (!Number.isInteger(maxChars) || maxChars < 1000)
          throw new CliError(`--max-chars must be a whole number of at least 1000, not '${opts.maxChars}'`, 'usage-error');
        const repo = openRepository(io.cwd);
        const base = await readRevision(repo, opts.base);
        if (!base.ok) throw new CliError(`--base: ${base.message}`);
        let head = fsRepositoryReader(io.cwd);
        const headLabel = opts.head ?? 'working tree';
        if (opts.head !== undefined) {
          const read = await readRevision(repo, opts.head);
          if (!read.ok) throw new CliError(`--head: ${read.message}`);
          head = read.value;
        }
        const result = diffEnvironments(base.value, head, opts.env);
        const missing = opts.env.filter((name) => !result.environments.some((e) => e.environment === name));
        if (missing.length > 0) throw new CliError(`environment '${missing.join("', '")}' exists at neither revision`, 'usage-error');
        const refs = { base: opts.base, head: headLabel };
        const report = buildDiffReport(result, TOOL, refs);
        io.stdout(format === 'markdown' ? renderDiffMarkdown(result, refs, maxChars) : renderReport(report, format));
        done(result.environments.every((e) => e.headLoads) ? CLEAN : FINDINGS);
      });
  },
};
