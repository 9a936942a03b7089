import { Command } from 'commander';
import type { CliCommand } from '../../src/cli/command.js';
import { exitCodeFor, type Outcome } from '../../src/cli/exit.js';
import type { CliIO } from '../../src/cli/io.js';
import { publishCommand } from '../../src/cli/publish.js';
import { pullCommand } from '../../src/cli/pull.js';

/** Runs publish/pull in-process as main.ts does, without loading every other command. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let outcome: Outcome | undefined;
  const program = new Command('falco-gitops').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const commands: CliCommand[] = [publishCommand, pullCommand];
  for (const c of commands) c.register(program, io, (o) => (outcome = o));
  await program.parseAsync(argv, { from: 'user' });
  if (!outcome) return 0;
  if (outcome.kind === 'usage-error' || outcome.kind === 'input-error') io.stderr(`error: ${outcome.message}\n`);
  return exitCodeFor(outcome);
}
