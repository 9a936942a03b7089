import type { Command } from 'commander';
import { loadRepository } from '../environment/index.js';
import { fsRepositoryReader } from '../config/index.js';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError } from './exit.js';
import { runRepositoryTests } from '../environment/index.js';
import { cacheOption, envOption, formatOption } from './options.js';
import { parserFor } from '../files/parse-cache.js';
import { renderJsonDocument } from '../report/index.js';
import { renderTestResults } from '../report/index.js';

const FORMATS = ['text', 'json'] as const;

export const testCommand: CliCommand = {
  name: 'test',
  register(program: Command, io, done) {
    program
      .command('test')
      .description(
        'Run rule tests: each test names the fields of an event and the rules expected to fire or not, in every environment (rules/tests/) or in one (environments/<env>/tests/)',
      )
      .addOption(envOption('test only this environment'))
      .addOption(formatOption(FORMATS, 'text or json (json is a stable, versioned interface)'))
      .addOption(cacheOption())
      .addHelpText(
        'after',
        `
A test file (YAML):
  defaults: { event: { evt.type: openat, evt.is_open_read: true, fd.typechar: f, fd.num: 3 } }
  tests:
    - name: cat reads /etc/shadow
      event: { proc.name: cat, fd.name: /etc/shadow }
      fires: [Read sensitive file untrusted]
      environments:
        production: { does_not_fire: [Read sensitive file untrusted] }

A field left out of the event is unknown: a rule whose outcome depends on it fails the test as
undecided, naming the field. Write "field: null" for a field Falco cannot extract (<NA>).

Examples:
  falco-gitops test
  falco-gitops test --env production --format json | jq '.results[] | select(.passed | not)'

Exit codes: 0 every test passed · 1 a test failed · 2 malformed test file, configuration or usage error`,
      )
      .action((opts: { env: string[]; format: string; cache: boolean }) => {
        const format = parseFormat(opts.format, FORMATS);
        const reader = fsRepositoryReader(io.cwd);
        const load = loadRepository(reader, opts.env, { parse: parserFor(opts.cache, io.env) });
        if (!load.ok) {
          for (const d of sortDiagnostics(load.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(load.message));
          return;
        }
        const tests = runRepositoryTests(reader, load);
        if (!tests.ok) {
          for (const d of sortDiagnostics(tests.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
          done(inputError(`${tests.diagnostics.length} problem(s) in test files`));
          return;
        }
        const { results } = tests;
        const passed = results.filter((r) => r.passed).length;
        const failed = results.length - passed;
        io.stdout(format === 'json' ? renderJsonDocument({ passed, failed, results }) : renderTestResults(results));
        done(failed > 0 ? FINDINGS : CLEAN);
      });
  },
};
