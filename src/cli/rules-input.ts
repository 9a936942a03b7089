import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { decodeRulesFileBytes, type SourceFile } from '../rules/index.js';
import { formatDiagnostic } from '../diagnostics/index.js';
import { MAX_RULES_FILE_BYTES } from '../config/index.js';
import { CliError } from './exit.js';

/**
 * Reads rules files named on the command line, in order. Unreadable, oversized or non-UTF-8 files
 * are input errors (exit 2) naming the file and, for bad bytes, the line and column.
 */
export async function readRulesInputs(paths: string[], cwd: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const shown = relative(cwd, absolute) || path;
    let size: number;
    try {
      const info = await stat(absolute);
      if (!info.isFile()) throw new CliError(`${shown}: not a regular file`);
      size = info.size;
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`${shown}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (size > MAX_RULES_FILE_BYTES) {
      throw new CliError(`${shown}: file is ${size} bytes, more than the ${MAX_RULES_FILE_BYTES}-byte limit for a rules file`);
    }
    const bytes = await readFile(absolute);
    const decoded = decodeRulesFileBytes(shown, bytes);
    if ('code' in decoded) throw new CliError(formatDiagnostic(decoded));
    files.push(decoded);
  }
  return files;
}
