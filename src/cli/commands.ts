import type { CliCommand } from './command.js';
import { compileCommand } from './compile.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [compileCommand];
