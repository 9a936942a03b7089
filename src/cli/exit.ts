import { OciError } from '../oci/index.js';

/**
 * How a command ended, and the one place that turns it into an exit code:
 * 0 clean, 1 findings that fail the gate (or rules Falco would refuse), 2 usage or input errors.
 */
export type Outcome = { kind: 'clean' } | { kind: 'findings' } | { kind: 'usage-error'; message: string } | { kind: 'input-error'; message: string };

export const CLEAN: Outcome = { kind: 'clean' };
export const FINDINGS: Outcome = { kind: 'findings' };

export function usageError(message: string): Outcome {
  return { kind: 'usage-error', message };
}

export function inputError(message: string): Outcome {
  return { kind: 'input-error', message };
}

export function exitCodeFor(outcome: Outcome): 0 | 1 | 2 {
  switch (outcome.kind) {
    case 'clean':
      return 0;
    case 'findings':
      return 1;
    case 'usage-error':
    case 'input-error':
      return 2;
    default:
      return assertNever(outcome);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** Thrown by command code for expected usage/input problems found deep in an action; main turns it into an Outcome. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly outcome: 'usage-error' | 'input-error' = 'input-error',
  ) {
    super(message);
  }
}

const UNREADABLE = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EEXIST', 'ENOTEMPTY', 'EROFS', 'ENOSPC']);

/**
 * The one mapping from an error thrown out of a command to how it ended. Expected problems (our
 * CliError, a registry's OciError, a file that cannot be read or written) are input errors with one
 * line; anything else is a defect, and `null` lets the entry point report it as one.
 */
export function outcomeForError(err: unknown): Outcome | null {
  if (err instanceof CliError) return { kind: err.outcome, message: err.message };
  if (err instanceof OciError) return inputError(err.message);
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof Error && typeof code === 'string' && UNREADABLE.has(code)) {
    const path = (err as NodeJS.ErrnoException).path;
    return inputError(path ? `${path}: ${describeErrno(code)}` : err.message);
  }
  return null;
}

function describeErrno(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code;
  }
}
