import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { CliError, type Outcome } from './exit.js';

/**
 * One CLI command: `register` declares its flags on the program and returns nothing; the action it
 * installs reports how it ended through `done`.
 */
export interface CliCommand {
  name: string;
  register(program: Command, io: CliIO, done: (outcome: Outcome) => void): void;
}

export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CliError(`--format must be one of ${allowed.join(', ')}, not '${value}'`, 'usage-error');
}
