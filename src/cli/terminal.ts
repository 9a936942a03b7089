import { styleText } from 'node:util';
import type { CliIO } from './io.js';

/** Colour on terminals only; NO_COLOR turns it off and FORCE_COLOR on (https://no-color.org). */
export function colorEnabled(io: CliIO): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}

/** `text` in a terminal style (node:util styleText) when colour is on, as is otherwise. */
export function paint(io: CliIO, style: 'red' | 'yellow' | 'green' | 'bold' | 'dim', text: string): string {
  // colorEnabled has decided for this io (which may not be process.stderr): styleText must not decide again.
  return colorEnabled(io) ? styleText(style, text, { validateStream: false }) : text;
}

/**
 * A progress line on stderr for a step that can take seconds: rewritten in place on a terminal, one
 * plain line each in CI logs (CI set), nothing otherwise (pipes and tests stay clean).
 */
export function progress(io: CliIO, text: string): void {
  if (io.isTTY) io.stderr(`\r\x1b[K${text}`);
  else if (io.env.CI) io.stderr(`${text}\n`);
}

/** Clears the progress line on a terminal once the step is done. */
export function progressDone(io: CliIO): void {
  if (io.isTTY) io.stderr('\r\x1b[K');
}
