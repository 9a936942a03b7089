#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './command.js';
import { defuseWorkflowCommands } from '../automation/index.js';
import { loadCommandsFor } from './commands.js';
import { exitCodeFor, outcomeForError, type Outcome } from './exit.js';
import { guardWorkflowOutput, processIO, type CliIO } from './io.js';
import { TOOL } from './tool-info.js';
import { terminalIO } from './terminal.js';

/** The command tree, with the given commands registered; `done` receives how a command ended. */
export function createProgram(io: CliIO, done: (outcome: Outcome) => void, commands: readonly CliCommand[]): Command {
  const program = new Command('falco-gitops')
    .description('Git-native rules-as-code for Falco: layered environments, validation, lint, tests, diffs and OCI artifacts')
    .version(TOOL.version)
    .showHelpAfterError('(run with --help for usage)')
    // Options after a subcommand belong to it, so a subcommand may take `--version <v>` (upstream pull).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, getOutHelpWidth: () => 100, getErrHelpWidth: () => 100 });
  for (const command of commands) command.register(program, io, done);
  program.addHelpText('after', '\nExit codes: 0 clean · 1 findings that fail the gate (or rules Falco would refuse) · 2 usage or input error');
  return program;
}

/** Runs the CLI in-process and returns the exit code; only the bin entry below touches `process`. */
export async function runCli(argv: string[], rawIO: CliIO): Promise<number> {
  const { io, flush } = guardWorkflowOutput(rawIO);
  try {
    return await runGuarded(argv, terminalIO(io, argv));
  } finally {
    flush();
  }
}

async function runGuarded(argv: string[], io: CliIO): Promise<number> {
  // `help upstream pull` is `upstream pull --help` (commander's help command takes one word).
  if (argv[0] === 'help' && argv.length > 2) argv = [...argv.slice(1), '--help'];
  let outcome: Outcome | undefined;
  const program = createProgram(
    io,
    (o) => {
      outcome = o;
    },
    await loadCommandsFor(argv),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    const mapped = outcomeForError(err);
    if (mapped === null) throw err;
    outcome = mapped;
  }
  if (outcome === undefined) return 0;
  if (outcome.kind === 'usage-error' || outcome.kind === 'input-error') io.stderr(`error: ${outcome.message}\n`);
  return exitCodeFor(outcome);
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    // argv[1] is not a file (node -e, a REPL): then this module was imported, not run.
    return false;
  }
}

let started = false;

/** Runs the process's command line; the bin entry (src/cli/bin.ts, bundled) and `node main.js` both come here, once. */
export function runMain(): void {
  if (started) return;
  started = true;
  // `falco-gitops … | head` closes the pipe early: stop quietly, as other command-line tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  runCli(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const text = `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`;
      process.stderr.write(process.env.GITHUB_ACTIONS === 'true' ? defuseWorkflowCommands(text) : text);
      process.exitCode = 70;
    },
  );
}

if (isEntryPoint()) runMain();
