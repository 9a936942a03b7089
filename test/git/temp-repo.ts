import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository in a temporary directory, committed to with the git CLI. */
export interface TempRepo {
  dir: string;
  /** Writes (or, with null, deletes) files, commits them, and returns the commit id. */
  commit(files: Record<string, string | null>, message: string, date?: string): string;
  tag(name: string): void;
  remove(): void;
}

export function createTempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'fg-git-'));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
  const git = (args: string[], extraEnv: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd: dir, env: { ...env, ...extraEnv }, encoding: 'utf8' }).trim();
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.email', 'test@example.com']);
  git(['config', 'user.name', 'Test']);
  git(['config', 'commit.gpgsign', 'false']);
  return {
    dir,
    commit(files, message, date = '2024-01-01T00:00:00Z') {
      for (const [path, text] of Object.entries(files)) {
        const full = join(dir, path);
        if (text === null) {
          git(['rm', '-q', '--', path]);
          continue;
        }
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
        git(['add', '--', path]);
      }
      git(['commit', '-q', '--allow-empty', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      return git(['rev-parse', 'HEAD']);
    },
    tag(name) {
      git(['tag', name]);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
