import { guardedWriter } from '../automation/index.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for --password-stdin). */
  readStdin: () => Promise<string>;
  /** Whether stderr is a terminal (progress lines are shown only there). */
  isTTY: boolean;
  /** Under GitHub Actions: prints one of the tool's own workflow commands (stdout and stderr are defused). */
  workflowCommand?: (line: string) => void;
}

/**
 * Under GitHub Actions, no line the tool prints can be taken as a workflow command unless the tool
 * meant it: rule names, list items and conditions come from pull requests (forks included).
 */
export function guardWorkflowOutput(io: CliIO): { io: CliIO; flush: () => void } {
  if (io.env.GITHUB_ACTIONS !== 'true') return { io, flush: () => undefined };
  const stdout = guardedWriter(io.stdout);
  const stderr = guardedWriter(io.stderr);
  return {
    io: { ...io, stdout: stdout.write, stderr: stderr.write, workflowCommand: stdout.command },
    flush: () => {
      stdout.flush();
      stderr.flush();
    },
  };
}

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    isTTY: Boolean(process.stderr.isTTY),
  };
}
