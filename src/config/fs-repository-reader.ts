import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { RepositoryReader } from './model.js';

/** Folders never searched for layer files. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** A RepositoryReader over a working tree on disk. */
export function fsRepositoryReader(root: string): RepositoryReader {
  return {
    readText(path) {
      const full = join(root, path);
      if (!isFile(full)) return undefined;
      return readFileSync(full, 'utf8');
    },
    listFiles(dir) {
      const out: string[] = [];
      walk(root, dir === '' || dir === '.' ? '' : dir.replace(/\/+$/, ''), out);
      return out;
    },
  };
}

function walk(root: string, rel: string, out: string[]): void {
  const full = rel === '' ? root : join(root, rel);
  if (!isDirectory(full)) return;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const child = rel === '' ? entry.name : posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(root, child, out);
    } else if (entry.isFile()) {
      out.push(child);
    }
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
