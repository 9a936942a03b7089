import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileSizeRefusal } from '../diagnostics/index.js';

export type FetchResult = { ok: true; text: string; path: string } | { ok: false; message: string };

/**
 * Reads an upstream ruleset from a local file, or from a directory holding `<ruleset>.yaml`
 * (the layout of a falcosecurity/rules checkout's `rules/` folder or an unpacked artifact).
 */
export async function fetchLocalRuleset(from: string, ruleset: string, cwd: string): Promise<FetchResult> {
  const absolute = resolve(cwd, from);
  const info = await stat(absolute).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) return { ok: false, message: `${from}: cannot read: ${info.code ?? info.message}` };
  const path = info.isDirectory() ? join(absolute, `${ruleset}.yaml`) : absolute;
  const size = path === absolute ? info : await stat(path).catch((err: NodeJS.ErrnoException) => err);
  if (size instanceof Error) return { ok: false, message: `${path}: cannot read: ${size.code ?? size.message}` };
  const refused = fileSizeRefusal(path, size.size);
  if (refused !== undefined) return { ok: false, message: refused };
  try {
    return { ok: true, text: await readFile(path, 'utf8'), path };
  } catch (err) {
    return { ok: false, message: `${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
}
