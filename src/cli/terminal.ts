import { styleText } from 'node:util';
import type { CliIO } from './io.js';

/** Colour on terminals only; NO_COLOR turns it off and FORCE_COLOR on (https://no-color.org). */
export function colorEnabled(io: CliIO): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}

type Style = 'red' | 'yellow' | 'green' | 'cyan' | 'bold' | 'dim';

/** `text` in a terminal style (node:util styleText) when colour is on, as is otherwise. */
export function paint(io: CliIO, style: Style, text: string): string {
  // colorEnabled has decided for this io (which may not be process.stderr): styleText must not decide again.
  return colorEnabled(io) ? styleText(style, text, { validateStream: false }) : text;
}

/**
 * A progress line on stderr for a step that can take seconds: rewritten in place on a terminal, one
 * plain line each in CI logs (CI set), nothing otherwise (pipes and tests stay clean).
 */
export function progress(io: CliIO, text: string): void {
  if (io.isTTY) {
    io.stderr(`\r\x1b[K${text}`);
    pendingProgress.add(io);
  } else if (io.env.CI) io.stderr(`${text}\n`);
}

const pendingProgress = new WeakSet<CliIO>();

/** Clears the progress line on a terminal once the step is done. */
export function progressDone(io: CliIO): void {
  if (io.isTTY && pendingProgress.delete(io)) io.stderr('\r\x1b[K');
}

/**
 * The same io, with human output coloured when colour is on (severities and locations of
 * diagnostic lines, hint and note lines, pass/fail summaries; machine formats stay plain), and a
 * pending progress line cleared before anything else is written.
 */
export function terminalIO(io: CliIO, argv: readonly string[]): CliIO {
  const paint = colorEnabled(io) && isTextOutput(argv) ? colorize : (text: string) => text;
  if (!io.isTTY && paint !== colorize) return io;
  const wrapped: CliIO = {
    ...io,
    stdout: (text) => {
      clearProgress();
      io.stdout(paint(text));
    },
    stderr: (text) => {
      clearProgress();
      io.stderr(paint(text));
    },
  };
  // Output after a progress line starts on a clean line, so nothing is written after "step 2/3".
  const clearProgress = () => {
    if (pendingProgress.delete(wrapped)) io.stderr('\r\x1b[K');
  };
  return wrapped;
}

function isTextOutput(argv: readonly string[]): boolean {
  const at = argv.indexOf('--format');
  const format = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--format='))?.slice('--format='.length);
  return format === undefined || format === 'text';
}

const SEVERITY_STYLE: Readonly<Record<string, Style>> = { error: 'red', warning: 'yellow', note: 'cyan', info: 'cyan' };
const style = (s: Style, text: string) => styleText(s, text, { validateStream: false });

/** Colours the lines it recognises; every other line is left as it is. */
export function colorize(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const diagnostic = /^(\S+:\d+(?::\d+)?)(:? +)(error|warning|note|info)\b(.*)$/.exec(line);
      if (diagnostic) return `${style('bold', diagnostic[1])}${diagnostic[2]}${style(SEVERITY_STYLE[diagnostic[3]], diagnostic[3])}${diagnostic[4]}`;
      const aside = /^(\s+)(hint|note):(.*)$/.exec(line);
      if (aside) return `${aside[1]}${style(aside[2] === 'hint' ? 'green' : 'cyan', `${aside[2]}:`)}${aside[3]}`;
      const summary = /^([a-z][a-z -]*): (passed|failed)( \(.*)$/.exec(line);
      if (summary) return `${summary[1]}: ${style(summary[2] === 'passed' ? 'green' : 'red', summary[2])}${summary[3]}`;
      return line;
    })
    .join('\n');
}
