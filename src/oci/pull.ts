import { gunzipSync } from 'node:zlib';
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import tar from 'tar-stream';
import type { RulesfileConfig } from './artifact.js';
import { OciError, toOciError } from './errors.js';
import { MEDIA_TYPE_MANIFEST, MEDIA_TYPE_RULESFILE_CONFIG, MEDIA_TYPE_RULESFILE_LAYER } from './media-types.js';
import type { Descriptor, Store } from './store.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';

export interface ExtractLimits {
  /** Largest compressed layer accepted. */
  maxLayerBytes: number;
  /** Largest total of extracted file bytes. */
  maxExtractedBytes: number;
  maxFiles: number;
}

export const DEFAULT_LIMITS: ExtractLimits = { maxLayerBytes: 32 * 1024 * 1024, maxExtractedBytes: 128 * 1024 * 1024, maxFiles: 64 };

export interface ExtractedFile {
  name: string;
  bytes: Uint8Array;
}

export interface PullResult {
  digest: string;
  config: RulesfileConfig | null;
  files: ExtractedFile[];
  /** Paths written, when an output directory was given. */
  written: string[];
  /** Of `written`, the files that existed before and were replaced. */
  replaced: string[];
  error: OciError | null;
}

/**
 * Fetches a rulesfile artifact by tag or digest, verifies every digest, extracts its layer safely,
 * and (with `outDir`) writes the files there atomically.
 */
export async function pullArtifact(store: Store, ref: string, options: { outDir?: string; limits?: ExtractLimits } = {}): Promise<PullResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const result: PullResult = { digest: '', config: null, files: [], written: [], replaced: [], error: null };
  try {
    const root = await store.resolve(ref);
    if (!root) throw new OciError({ kind: 'request', message: `${store.label}: '${ref}' not found`, status: 404 });
    if (ref.startsWith('sha256:') && root.digest !== ref)
      throw new OciError({ kind: 'digest-mismatch', message: `${store.label}: asked for ${ref}, got ${root.digest}` });
    if (root.size > 4 * 1024 * 1024) throw new OciError({ kind: 'invalid-content', message: `${store.label}: manifest of ${root.size} bytes is too large` });
    const manifestBytes = await store.fetch({ ...root, mediaType: MEDIA_TYPE_MANIFEST });
    result.digest = root.digest;
    const manifest = parseManifest(manifestBytes, store.label);
    if (manifest.layer.size > limits.maxLayerBytes) {
      throw new OciError({
        kind: 'invalid-content',
        message: `layer ${manifest.layer.digest} is ${manifest.layer.size} bytes, over the ${limits.maxLayerBytes}-byte limit`,
      });
    }
    if (manifest.config.mediaType === MEDIA_TYPE_RULESFILE_CONFIG && manifest.config.size <= 1024 * 1024) {
      result.config = JSON.parse(Buffer.from(await store.fetch(manifest.config)).toString('utf8')) as RulesfileConfig;
    }
    const layer = await store.fetch(manifest.layer);
    result.files = await extractLayer(layer, limits);
    if (options.outDir) {
      const outcome = await writeFiles(options.outDir, result.files);
      result.written = outcome.written;
      result.replaced = outcome.replaced;
    }
  } catch (err) {
    result.error = toOciError(err, { kind: 'invalid-content' });
  }
  return result;
}

function parseManifest(bytes: Uint8Array, label: string): { config: Descriptor; layer: Descriptor } {
  let m: unknown;
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `${label}: the manifest is not JSON` }, { cause: err });
  }
  const o = (typeof m === 'object' && m !== null ? m : {}) as { config?: unknown; layers?: unknown };
  const config = asDescriptor(o.config);
  const layers = Array.isArray(o.layers) ? o.layers.map(asDescriptor) : [];
  if (!config) throw new OciError({ kind: 'invalid-content', message: `${label}: the manifest has no config descriptor` });
  if (layers.length !== 1 || !layers[0])
    throw new OciError({ kind: 'invalid-content', message: `${label}: a rulesfile artifact has exactly one layer, this one has ${layers.length}` });
  if (layers[0].mediaType !== MEDIA_TYPE_RULESFILE_LAYER) {
    throw new OciError({ kind: 'invalid-content', message: `${label}: layer media type is ${layers[0].mediaType}, expected ${MEDIA_TYPE_RULESFILE_LAYER}` });
  }
  return { config, layer: layers[0] };
}

function asDescriptor(v: unknown): Descriptor | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.mediaType !== 'string' || typeof o.digest !== 'string' || typeof o.size !== 'number') return null;
  if (!/^sha256:[a-f0-9]{64}$/.test(o.digest) || !Number.isSafeInteger(o.size) || o.size < 0) return null;
  return { mediaType: o.mediaType, digest: o.digest, size: o.size };
}

/**
 * Extracts a gzip'd tar in memory, refusing anything but plain files with safe relative names:
 * no absolute paths, no `..`, no links or devices, no duplicates, and bounded sizes.
 */
export async function extractLayer(bytes: Uint8Array, limits: ExtractLimits = DEFAULT_LIMITS): Promise<ExtractedFile[]> {
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(bytes, { maxOutputLength: limits.maxExtractedBytes + 1024 * 1024 });
  } catch (err) {
    const tooBig = err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new OciError(
      { kind: 'invalid-content', message: tooBig ? `the layer expands past the ${limits.maxExtractedBytes}-byte limit` : 'the layer is not valid gzip' },
      { cause: err },
    );
  }
  const files: ExtractedFile[] = [];
  let total = 0;
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const problem = checkEntry(header, files, limits, total);
      if (problem) {
        stream.resume();
        reject(new OciError({ kind: 'invalid-content', message: `unsafe archive entry '${header.name}': ${problem}` }));
        extract.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        total += data.byteLength;
        files.push({ name: header.name, bytes: data });
        next();
      });
    });
    extract.on('finish', () => resolve());
    extract.on('error', (err: Error) =>
      reject(new OciError({ kind: 'invalid-content', message: `the layer is not a valid tar: ${err.message}` }, { cause: err })),
    );
  });
  extract.end(tarBytes);
  await done;
  if (files.length === 0) throw new OciError({ kind: 'invalid-content', message: 'the layer holds no rules file' });
  return files;
}

function checkEntry(header: tar.Header, files: ExtractedFile[], limits: ExtractLimits, total: number): string | null {
  if (header.type !== 'file') return `${header.type} entries are not allowed (plain files only)`;
  const problem = plainFileNameProblem(header.name);
  if (problem) return problem;
  if (files.some((f) => f.name === header.name)) return 'duplicate entry';
  if (files.length + 1 > limits.maxFiles) return `more than ${limits.maxFiles} files`;
  if (total + (header.size ?? 0) > limits.maxExtractedBytes) return `extracted size over the ${limits.maxExtractedBytes}-byte limit`;
  return null;
}

/**
 * A falcoctl rulesfile layer is flat: each entry is a plain top-level file name. Anything else
 * (folders, dotfiles such as `.git/config`, control characters) could land outside the rules folder.
 */
export function plainFileNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name.length > 255) return 'name longer than 255 characters';
  if (name.includes('/') || name.includes('\\')) return 'a rulesfile artifact holds top-level files only (no folders)';
  if (name.startsWith('.')) return 'hidden files and "." or ".." are not allowed';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control characters in the name';
  if (/^[A-Za-z]:/.test(name)) return 'non-portable name';
  return null;
}

/**
 * Writes the files into `outDir` all or nothing as far as checks go: every target is inspected first
 * (a symlink or a non-file in the way refuses the whole pull, so no link is ever followed or replaced),
 * then each file is written to a fresh exclusive temp file and renamed over its target.
 */
async function writeFiles(outDir: string, files: ExtractedFile[]): Promise<{ written: string[]; replaced: string[] }> {
  await mkdir(outDir, { recursive: true });
  const replaced: string[] = [];
  for (const f of files) {
    const path = join(outDir, f.name);
    const existing = await lstat(path).catch(() => null);
    if (!existing) continue;
    if (existing.isSymbolicLink())
      throw new OciError({ kind: 'invalid-content', message: `${path} is a symbolic link: refusing to write through or replace it` });
    if (!existing.isFile()) throw new OciError({ kind: 'invalid-content', message: `${path} exists and is not a regular file` });
    replaced.push(path);
  }
  const written: string[] = [];
  for (const f of files) {
    const path = join(outDir, f.name);
    await writeFileAtomic(path, f.bytes, {
      beforeReplace: async () => {
        if ((await lstat(path).catch(() => null))?.isSymbolicLink()) {
          throw new OciError({ kind: 'invalid-content', message: `${path} became a symbolic link during the pull: refusing to replace it` });
        }
      },
    });
    written.push(path);
  }
  return { written, replaced };
}
