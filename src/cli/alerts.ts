import type { Command } from 'commander';
import { fsRepositoryReader } from '../config/index.js';
import { createSummaryAccumulator, type SummaryRuleset } from '../evaluate/index.js';
import { loadRules } from '../rules/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, CliError, inputError } from './exit.js';
import type { CliIO } from './io.js';
import { loadEnvironmentRuleset, streamLines } from './replay.js';
import { readRulesInputs } from './rules-input.js';
import { formatOption } from './options.js';
import { renderJsonDocument } from '../report/index.js';
import { renderSummary } from '../report/index.js';

const FORMATS = ['text', 'json'] as const;

interface SummarizeOptions {
  env?: string;
  rules?: string[];
  top: string;
  format: string;
}

export const alertsCommand: CliCommand = {
  name: 'alerts',
  register(program: Command, io, done) {
    const alerts = program.command('alerts').description('Work with recorded Falco alerts (JSON lines)');
    alerts
      .command('summarize')
      .description(
        'The most frequent alerts by rule and by sanitised output, then by process, parent, image and file, with a suggested exception (an overlay snippet) for the top groups',
      )
      .argument('<file>', 'Falco JSON alerts, one per line')
      .option('--env <name>', "suggest exceptions in terms of this environment's rules (user_known_* macros, exceptions)")
      .option('--rules <files...>', 'rules files to suggest exceptions against, instead of an environment')
      .option('--top <n>', 'groups shown per level and suggestions made', '10')
      .addOption(formatOption(FORMATS, 'text or json (json is a stable, versioned interface)'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops alerts summarize events.jsonl --env production
  falco-gitops alerts summarize events.jsonl --top 5 --format json | jq '.suggestions[].snippet' -r

Exit codes: 0 summarised · 2 unreadable file, unknown environment, usage error`,
      )
      .action(async (file: string, opts: SummarizeOptions) => {
        const format = parseFormat(opts.format, FORMATS);
        const top = Number(opts.top);
        if (!Number.isInteger(top) || top < 1) {
          done(inputError(`--top must be a positive whole number, not '${opts.top}'`));
          return;
        }
        const ruleset = await loadSummaryRuleset(opts, io);
        const acc = createSummaryAccumulator({ top });
        await streamLines(file, io, (line) => acc.addLine(line));
        const summary = acc.summary(ruleset);
        io.stdout(format === 'json' ? renderJsonDocument({ file, ...summary }) : renderSummary(summary, file));
        done(CLEAN);
      });
  },
};

async function loadSummaryRuleset(opts: SummarizeOptions, io: CliIO): Promise<SummaryRuleset> {
  if (opts.rules && opts.rules.length > 0) {
    if (opts.env !== undefined) throw new CliError('--rules and --env are exclusive', 'usage-error');
    return loadRules(await readRulesInputs(opts.rules, io.cwd));
  }
  if (opts.env !== undefined) return loadEnvironmentRuleset(fsRepositoryReader(io.cwd), opts.env, 'working tree').ruleset;
  return { rules: [], macros: [] };
}
