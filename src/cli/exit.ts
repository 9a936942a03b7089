/**
 * How a command ended, and the one place that turns it into an exit code:
 * 0 clean, 1 findings that fail the gate (or rules Falco would refuse), 2 usage or input errors.
 */
export type Outcome =
  | { kind: 'clean' }
  | { kind: 'findings' }
  | { kind: 'usage-error'; message: string }
  | { kind: 'input-error'; message: string };

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
