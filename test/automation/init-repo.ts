import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { run, type CliRun } from '../helpers/cli.js';
import { UPSTREAM_RULES } from '../helpers/shared.js';
import { edit } from './example-repo.js';

export interface InitRepository {
  repo: TempRepo;
  /** HOME for the CLI: no user configuration leaks in. */
  home: string;
  cli: (...argv: string[]) => Promise<CliRun>;
  read: (path: string) => string;
  remove: () => void;
}

/**
 * A repository as a new user starts one: `init`, then `upstream pull` of real upstream rulesets
 * (`[ruleset, version, manifest file]`), the registry namespace replaced when given, all committed.
 */
export async function initRepository(upstream: [string, string, string][], registryNamespace?: string, { commit = true } = {}): Promise<InitRepository> {
  const repo = createTempRepo();
  const home = mkdtempSync(join(tmpdir(), 'fg-init-repo-'));
  const cli = (...argv: string[]) => run(argv, { cwd: repo.dir, env: { HOME: home } });
  const read = (path: string) => readFileSync(join(repo.dir, path), 'utf8');
  expect((await cli('init', '.')).code).toBe(0);
  for (const [ruleset, version, file] of upstream)
    expect((await cli('upstream', 'pull', ruleset, '--version', version, '--from', join(UPSTREAM_RULES, file))).code).toBe(0);
  if (registryNamespace !== undefined)
    writeFileSync(join(repo.dir, 'falco-gitops.yaml'), edit(read('falco-gitops.yaml'), 'registry: ghcr.io/example', `registry: ghcr.io/${registryNamespace}`));
  execFileSync('git', ['add', '-A'], { cwd: repo.dir });
  if (commit) repo.commit({}, `init, pin ${upstream.map(([r, v]) => `${r} ${v}`).join(', ')}`);
  return {
    repo,
    home,
    cli,
    read,
    remove: () => {
      repo.remove();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * falco_rules pinned at `version` from the shared upstream file, staged but not committed, so the
 * caller's first commit holds it with its own overlay.
 */
export function initPinnedRepository(version: string): Promise<InitRepository> {
  return initRepository([['falco_rules', version, `falco_rules/rules-${version}.yaml`]], undefined, { commit: false });
}
