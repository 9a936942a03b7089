import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /** Runs after the content is on disk and before it replaces `path`; throwing cancels the write. */
  beforeReplace?: () => Promise<void>;
}

/**
 * Writes a file so readers see the old or the new content, never a half: an exclusively created
 * temp file beside it (fixed-length name, so a 255-byte target name still fits), then rename.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.falco-gitops-${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.close();
    await options.beforeReplace?.();
    await rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}
