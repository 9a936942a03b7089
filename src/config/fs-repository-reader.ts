import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { fileSizeRefusal, MAX_RULES_FILE_BYTES } from '../diagnostics/index.js';
import type { RepositoryReader } from './model.js';

export { MAX_RULES_FILE_BYTES };

/** Folders never searched for layer files. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * A RepositoryReader over a working tree on disk, and the one place its files are read. Every read
 * checks first, without reading: the path must resolve (symbolic links followed) inside the
 * repository, and the file must be at most MAX_RULES_FILE_BYTES. Links that stay inside are followed.
 */
export function fsRepositoryReader(root: string): RepositoryReader {
  const realRoot = realpathOrSelf(root);
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  const refusal = (path: string): string | undefined => {
    const full = join(root, path);
    const real = realpathOf(full);
    if (real === undefined) return undefined;
    if (!inside(real)) return `'${path}' resolves to '${real}', outside the repository, through the symbolic link '${outsideLink(root, path, inside) ?? path}'`;
    const info = statSync(real, { throwIfNoEntry: false });
    return info?.isFile() ? fileSizeRefusal(path, info.size) : undefined;
  };
  return {
    readText(path) {
      const full = join(root, path);
      if (!isFile(full) || refusal(path) !== undefined) return undefined;
      return readFileSync(full, 'utf8');
    },
    refusal,
    listFiles(dir) {
      const out: string[] = [];
      const start = dir === '' || dir === '.' ? '' : dir.replace(/\/+$/, '');
      walk(root, start, out, inside, new Set());
      return out;
    },
  };
}

/**
 * Files below `rel`, following symbolic links that stay inside the repository (each real folder
 * once, so a loop ends). A link that leaves it is listed as it is, for the caller to refuse by
 * name, a folder with a trailing `/`; nothing beyond it is read.
 */
function walk(root: string, rel: string, out: string[], inside: (real: string) => boolean, seen: Set<string>): void {
  const full = rel === '' ? root : join(root, rel);
  const real = realpathOf(full);
  if (real === undefined || !isDirectory(real)) return;
  if (!inside(real)) {
    out.push(`${rel}/`);
    return;
  }
  if (seen.has(real)) return;
  seen.add(real);
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const child = rel === '' ? entry.name : posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(root, child, out, inside, seen);
    } else if (entry.isFile()) {
      out.push(child);
    } else if (entry.isSymbolicLink()) {
      const target = realpathOf(join(root, child));
      if (target === undefined) continue;
      if (!inside(target)) out.push(isDirectory(target) ? `${child}/` : child);
      else if (isDirectory(target)) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(root, child, out, inside, seen);
      } else if (isFile(target)) out.push(child);
    }
  }
}

/** The first component of `path` that is a symbolic link leading outside the repository. */
function outsideLink(root: string, path: string, inside: (real: string) => boolean): string | undefined {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const rel = parts.slice(0, i).join('/');
    const full = join(root, rel);
    if (!lstatSync(full, { throwIfNoEntry: false })?.isSymbolicLink()) continue;
    const real = realpathOf(full);
    if (real !== undefined && !inside(real)) return `${rel} -> ${readlinkSync(full)}`;
  }
  return undefined;
}

function realpathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    // a dangling link or a missing file: nothing to read, the caller reports the file as missing
    return undefined;
  }
}

function realpathOrSelf(path: string): string {
  return realpathOf(path) ?? path;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
