import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REPO_ROOT } from './shared.js';

/** Runs a generator script into a temp file (its last argument) and returns what it wrote and what is committed. */
export function regenerate(script: string, mirrors: readonly string[], committed: string): { fresh: string; committed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'regenerate-'));
  try {
    const out = join(dir, basename(committed));
    execFileSync(process.execPath, [join(REPO_ROOT, script), ...mirrors, out], { stdio: 'pipe' });
    return { fresh: readFileSync(out, 'utf8'), committed: readFileSync(join(REPO_ROOT, committed), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
