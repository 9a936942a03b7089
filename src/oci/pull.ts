import { gunzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import tar from 'tar-stream';
import type { RulesfileConfig } from './artifact.js';
import { OciError, toOciError } from './errors.js';
import { MEDIA_TYPE_MANIFEST, MEDIA_TYPE_RULESFILE_CONFIG, MEDIA_TYPE_RULESFILE_LAYER } from './media-types.js';
import type { Descriptor, Store } from './store.js';

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
  /** Of those, the paths where a file already stood and was replaced. */
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
    if (ref.startsWith('sha256:') && root.digest !== ref) throw new OciError({ kind: 'digest-mismatch', message: `${store.label}: asked for ${ref}, got ${root.digest}` });
    if (root.size > 4 * 1024 * 1024) throw new OciError({ kind: 'invalid-content', message: `${store.label}: manifest of ${root.size} bytes is too large` });
    const manifestBytes = await store.fetch({ ...root, mediaType: MEDIA_TYPE_MANIFEST });
    result.digest = root.digest;
    const manifest = parseManifest(manifestBytes, store.label);
    if (manifest.layer.size > limits.maxLayerBytes) {
      throw new OciError({ kind: 'invalid-content', message: `layer ${manifest.layer.digest} is ${manifest.layer.size} bytes, over the ${limits.maxLayerBytes}-byte limit` });
    }
    if (manifest.config.mediaType === MEDIA_TYPE_RULESFILE_CONFIG && manifest.config.size <= 1024 * 1024) {
      result.config = JSON.parse(Buffer.from(await store.fetch(manifest.config)).toString('utf8')) as RulesfileConfig;
    }
    const layer = await store.fetch(manifest.layer);
    result.files = await extractLayer(layer, limits);
    if (options.outDir) Object.assign(result, await writeFiles(options.outDir, result.files));
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
  if (layers.length !== 1 || !layers[0]) throw new OciError({ kind: 'invalid-content', message: `${label}: a rulesfile artifact has exactly one layer, this one has ${layers.length}` });
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
    throw new OciError({ kind: 'invalid-content', message: tooBig ? `the layer expands past the ${limits.maxExtractedBytes}-byte limit` : 'the layer is not valid gzip' }, { cause: err });
  }
  const files: ExtractedFile[] = [];
  let total = 0;
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const problem = checkEntry(header, files, limits, total);
      if (problem) {
        stream.resume();
        reject(new OciError({ kind: 'unsafe-entry', message: `unsafe archive entry '${printable(header.name)}': ${problem}; nothing was written` }));
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
    extract.on('error', (err: Error) => reject(new OciError({ kind: 'invalid-content', message: `the layer is not a valid tar: ${err.message}` }, { cause: err })));
  });
  extract.end(tarBytes);
  await done;
  if (files.length === 0) throw new OciError({ kind: 'invalid-content', message: 'the layer holds no rules file' });
  return files;
}

function checkEntry(header: tar.Header, files: ExtractedFile[], limits: ExtractLimits, total: number): string | null {
  if (header.type !== 'file') return `${header.type} entries are not allowed (plain files only)`;
  const problem = unsafeFileName(header.name);
  if (problem) return problem;
  if (files.some((f) => f.name === header.name)) return 'duplicate entry';
  if (files.length + 1 > limits.maxFiles) return `more than ${limits.maxFiles} files`;
  if (total + (header.size ?? 0) > limits.maxExtractedBytes) return `extracted size over the ${limits.maxExtractedBytes}-byte limit`;
  return null;
}

/**
 * A falcoctl rulesfile artifact is flat: every entry a plain top-level file name. Anything else
 * (a folder, a dotfile such as `.git/config`, a drive letter) could land outside the files pulled.
 */
export function unsafeFileName(name: string): string | null {
  if (name === '') return 'empty name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  if (name.includes('/') || name.includes('\\')) return 'not a top-level file name (a rulesfile artifact is flat)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in the name';
  if (name.startsWith('.')) return 'hidden or relative name (leading ".")';
  if (Buffer.byteLength(name) > 255) return 'name longer than 255 bytes';
  return null;
}

/**
 * Writes every file into `outDir`, or none: each target is checked first (a link or anything but
 * a regular file there refuses the whole artifact), then written to a fresh temp file in the same
 * folder and renamed over it, so no reader sees half a file and no link is ever followed.
 */
async function writeFiles(outDir: string, files: ExtractedFile[]): Promise<{ written: string[]; replaced: string[] }> {
  await mkdir(outDir, { recursive: true });
  const replaced: string[] = [];
  for (const f of files) if (await existingRegularFile(join(outDir, f.name), f.name)) replaced.push(join(outDir, f.name));
  const written: string[] = [];
  for (const f of files) {
    const path = join(outDir, f.name);
    const tmp = join(outDir, `.falco-gitops-pull-${randomBytes(8).toString('hex')}.tmp`);
    const handle = await open(tmp, 'wx', 0o644); // O_EXCL: never opens through a link planted at the temp name
    try {
      await handle.writeFile(f.bytes);
    } finally {
      await handle.close();
    }
    try {
      await existingRegularFile(path, f.name); // again just before the swap: a link made since is still refused
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    written.push(path);
  }
  return { written, replaced };
}

/** True when a regular file stands at `path`, false when nothing does; an error for a link, folder or device. */
async function existingRegularFile(path: string, name: string): Promise<boolean> {
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (st === null) return false;
  if (st.isFile()) return true;
  const what = st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a folder' : 'not a regular file';
  throw new OciError({ kind: 'unsafe-entry', message: `entry '${name}': ${path} is ${what}; it is not replaced (remove it or pull into another --out)` });
}

/** A name as it can be shown on one line: control characters escaped. */
function printable(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}
