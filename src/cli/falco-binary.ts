/**
 * Cross-check with a real Falco: runs `COMMAND --validate FILE` (COMMAND is a binary path or a
 * shell command such as a `docker run`), and compares whether it accepts the file with our verdict.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FalcoBinaryCheck {
  ours: boolean;
  falco: boolean;
  agree: boolean;
  /** The last lines Falco printed, for the report. */
  output: string;
}

const TIMEOUT_MS = 120_000;
const OUTPUT_LIMIT = 2000;

export function checkWithFalcoBinary(command: string, cwd: string, fileName: string, rulesFile: string, ours: boolean): FalcoBinaryCheck {
  const dir = mkdtempSync(join(tmpdir(), 'fg-falco-'));
  try {
    const file = join(dir, fileName);
    writeFileSync(file, rulesFile);
    // through the shell, so a command with arguments (a container run) works as well as a path
    const run = spawnSync('sh', ['-c', `${command} --validate "$1"`, 'sh', file], { cwd, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 16 << 20 });
    const falco = run.status === 0;
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error.message) : ''}`.trim().slice(-OUTPUT_LIMIT);
    return { ours, falco, agree: falco === ours, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
