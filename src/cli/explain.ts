import type { Command } from 'commander';
import { closestRuleName, explainRule, loadRepository, renderExplanation } from '../environment/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, inputError } from './exit.js';
import { cacheOption, formatOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';
import { renderJsonDocument } from '../report/index.js';

const FORMATS = ['text', 'json'] as const;

export const explainCommand: CliCommand = {
  name: 'explain',
  register(program: Command, io, done) {
    program
      .command('explain')
      .description(
        'Show the effective rule in one environment: where every field was defined, replaced or appended, its expanded condition, event types, the macros and lists it uses, and which environments differ',
      )
      .argument('<rule>', 'the rule name, as written after `rule:`')
      .requiredOption('--env <name>', 'the environment to explain the rule in')
      .addOption(formatOption(FORMATS, 'text or json (json is a stable, versioned interface)'))
      .addOption(cacheOption())
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops explain "Terminal shell in container" --env production
  falco-gitops explain "Write below etc" --env staging --format json | jq .history

Exit codes: 0 explained · 2 unknown environment or rule, configuration or usage error`,
      )
      .action((name: string, opts: { env: string; format: string; cache: boolean }) => {
        const format = parseFormat(opts.format, FORMATS);
        const load = loadRepository(fsRepositoryReader(io.cwd), [], { parse: parserFor(opts.cache, io.env) });
        if (!load.ok) {
          for (const d of sortDiagnostics(load.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(load.message));
          return;
        }
        const rulesets = load.environments.flatMap((e) => (e.ruleset ? [{ environment: e.environment.name, ruleset: e.ruleset }] : []));
        const target = rulesets.find((r) => r.environment === opts.env);
        if (!target) {
          done(inputError(`unknown environment '${opts.env}' (known: ${rulesets.map((r) => r.environment).join(', ')})`));
          return;
        }
        const explanation = explainRule(name, target, rulesets);
        if (!explanation) {
          const suggestion = closestRuleName(name, target.ruleset);
          done(inputError(`no rule '${name}' is loaded in environment '${opts.env}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`));
          return;
        }
        io.stdout(format === 'json' ? renderJsonDocument({ ...explanation }) : renderExplanation(explanation));
        done(CLEAN);
      });
  },
};
