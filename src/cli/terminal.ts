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

/**
 * A progress line on stderr for a step that can take seconds: rewritten in place on a terminal, one
 * plain line each in CI logs (CI set), nothing otherwise (pipes and tests stay clean).
 */
export function progress(io: CliIO, text: string): void {
  if (io.isTTY) {
    (ownStderr.get(io) ?? io.stderr)(`\r\x1b[K${defuse(text)}`);
    pendingProgress.add(io);
  } else if (io.env.CI) io.stderr(`${text}\n`);
}

const pendingProgress = new WeakSet<CliIO>();
/** The stream under a wrapped io, for the tool's own control sequences (which the wrapper would defuse). */
const ownStderr = new WeakMap<CliIO, (text: string) => void>();

/** Clears the progress line on a terminal once the step is done. */
export function progressDone(io: CliIO): void {
  if (io.isTTY && pendingProgress.delete(io)) (ownStderr.get(io) ?? io.stderr)('\r\x1b[K');
}

/** C0 and C1 control characters but newline and tab: a terminal may act on them (escape sequences, carriage return). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text for a terminal with every control character shown as `\xNN` instead of acted on: rule and
 * key names, conditions, registry answers and alert fields come from files and servers we do not trust.
 */
export function defuse(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * The same io, with messages defused (control characters shown, not acted on: stderr always, stdout
 * in text format; machine formats are left as they are), coloured in text format when colour is on
 * (severities and locations of diagnostic lines, hint and note lines, error and pass/fail lines),
 * and a pending progress line cleared before anything else is written.
 */
export function terminalIO(io: CliIO, argv: readonly string[]): CliIO {
  const text = isTextOutput(argv);
  const human = colorEnabled(io) && text ? (t: string) => colorize(defuse(t)) : defuse;
  const wrapped: CliIO = {
    ...io,
    stdout: (t) => {
      clearProgress();
      io.stdout(text ? human(t) : t);
    },
    stderr: (t) => {
      clearProgress();
      io.stderr(human(t));
    },
  };
  ownStderr.set(wrapped, io.stderr);
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
      if (line.startsWith('error: ')) return `${style('red', 'error:')}${line.slice('error:'.length)}`;
      const summary = /^([a-z][a-z -]*): (passed|failed)( \(.*)$/.exec(line);
      if (summary) return `${summary[1]}: ${style(summary[2] === 'passed' ? 'green' : 'red', summary[2])}${summary[3]}`;
      return line;
    })
    .join('\n');
}
