import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIO } from '../../src/cli/io.js';

/** Writes `files` (repository-relative path -> text) into a fresh temp directory, in the order given. */
export function writeTempRepo(files: Record<string, string>, order: string[] = Object.keys(files)): string {
  const root = mkdtempSync(join(tmpdir(), 'falco-gitops-env-'));
  for (const path of order) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), files[path]!);
  }
  return root;
}

export function removeTempRepo(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** An in-memory CliIO rooted at `cwd` that records what the command printed. */
export function captureIO(cwd: string): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd,
    env: {},
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: async () => '',
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}

export const ENV_YAML = (layers: string[], extra = ''): string => `version: 1.0.0\nlayers:\n${layers.map((l) => `  - ${l}\n`).join('')}${extra}`;

/** The example repository's own content (config, rules, environments), read from the working tree. */
export function exampleRepoFiles(repoRoot: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else files[rel] = readFileSync(join(repoRoot, rel), 'utf8');
    }
  };
  walk('rules');
  walk('environments');
  files['falco-gitops.yaml'] = readFileSync(join(repoRoot, 'falco-gitops.yaml'), 'utf8');
  return files;
}

/** Every file below `dir`, relative path -> bytes. */
export function readTree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out[child] = readFileSync(join(dir, child));
    }
  };
  walk('');
  return out;
}
