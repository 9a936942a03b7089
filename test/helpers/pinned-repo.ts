import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { run, type CliRun } from './cli.js';
import { UPSTREAM_RULES } from './shared.js';

export interface PinnedRepo {
  repo: TempRepo;
  /** Runs the CLI in the repository (HOME is the repository, so nothing of the user's is read). */
  cli(argv: string[]): Promise<CliRun>;
}

/**
 * A temporary git repository started with `init` that pins falco_rules at `version` from the
 * shared upstream file `falco_rules/rules-<version>.yaml`; everything is staged, not committed, so
 * the caller's first commit holds it with its own overlay.
 */
export async function initPinnedRepo(version: string): Promise<PinnedRepo> {
  const repo = createTempRepo();
  const cli = (argv: string[]) => run(argv, { cwd: repo.dir, env: { HOME: repo.dir } });
  expect((await cli(['init', '.'])).code).toBe(0);
  expect((await cli(['upstream', 'pull', 'falco_rules', '--version', version, '--from', join(UPSTREAM_RULES, `falco_rules/rules-${version}.yaml`)])).code).toBe(
    0,
  );
  execFileSync('git', ['add', '-A'], { cwd: repo.dir });
  return { repo, cli };
}
