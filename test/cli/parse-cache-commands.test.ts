/**
 * The parsed-file cache behind the repository commands, through the bundle (the only build that
 * keeps one): in the slow project, since each case starts the command three times.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleRepoFiles, readTree, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-parse-cache-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The cache's entries (its `.pruned` marker is not one). */
const files = (root: string) => (existsSync(root) ? Object.keys(readTree(root)).filter((p) => !p.endsWith('.pruned')) : []);

describe('the parsed-file cache of the repository commands', () => {
  it('repository commands through the bundle keep one entry per rules file, print the same warm or cold, and --no-cache writes none', async () => {
    const repo = writeTempRepo(exampleRepoFiles(REPO_ROOT));
    const rulesFiles = Object.keys(exampleRepoFiles(REPO_ROOT)).filter(
      (p) => /^(rules\/(?!tests\/)|environments\/[^/]+\/overlays\/).*\.yaml$/.test(p) && !p.endsWith('.lock.yaml'),
    );
    try {
      const bundle = (cacheDir: string, ...args: string[]) =>
        spawnSync(process.execPath, [join(REPO_ROOT, 'bin/falco-gitops.mjs'), ...args], {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, FALCO_GITOPS_CACHE_DIR: cacheDir },
        });
      const cache = join(dir, 'repo-cache');
      for (const command of [
        ['validate', '--format', 'json'],
        ['lint', '--format', 'json'],
        ['test', '--format', 'json'],
        ['explain', 'Terminal shell in container', '--format', 'json'],
      ]) {
        const cold = bundle(cache, ...command);
        const warm = bundle(cache, ...command);
        const uncached = bundle(join(dir, 'never'), ...command, '--no-cache');
        expect(warm.stdout, command[0]).toBe(cold.stdout);
        expect(uncached.stdout, command[0]).toBe(cold.stdout);
        expect([cold.status, warm.status, uncached.status], command[0]).toEqual([cold.status, cold.status, cold.status]);
      }
      expect(files(join(cache, 'parsed'))).toHaveLength(rulesFiles.length);
      expect(files(join(dir, 'never'))).toEqual([]);
    } finally {
      removeTempRepo(repo);
    }
  });
});
