/** The files a step writes for the runner: `GITHUB_OUTPUT` (name/value pairs) and `GITHUB_STEP_SUMMARY` (Markdown). */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';

/**
 * One `GITHUB_OUTPUT` entry: `name=value` for a single line, else the heredoc form with a
 * delimiter that does not occur in the value (as actions/toolkit's prepareKeyValueMessage does).
 */
export function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (!value.includes('\n') && !value.includes('\r')) return `${name}=${value}\n`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output delimiter '${delimiter}' occurs in the output ${name}`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Parses the entries of a `GITHUB_OUTPUT` file, the way the runner reads them back. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end < 0) throw new Error(`unterminated output ${heredoc[1]}`);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export async function appendOutputs(path: string, outputs: Readonly<Record<string, string>>): Promise<void> {
  await appendFile(
    path,
    Object.entries(outputs)
      .map(([k, v]) => formatOutput(k, v))
      .join(''),
    'utf8',
  );
}

export async function appendStepSummary(path: string, markdown: string): Promise<void> {
  await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
}
