import type { CliCommand } from './command.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [];
