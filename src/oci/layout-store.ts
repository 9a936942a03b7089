import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PackedArtifact } from './artifact.js';
import { canonicalJson, verifyContent } from './digest.js';
import { OciError } from './errors.js';
import { ANNOTATION_ENVIRONMENT, ANNOTATION_MIRRORS, ANNOTATION_REF_NAME, ANNOTATION_REPOSITORY, MEDIA_TYPE_INDEX } from './media-types.js';
import type { Descriptor, Store } from './store.js';
import { compareStrings } from '../config/compare-paths.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';

const OCI_LAYOUT = { imageLayoutVersion: '1.0.0' };

/** One manifest of a layout's index.json with the annotations `publish` reads. */
export interface LayoutEntry {
  descriptor: Descriptor;
  environment: string | null;
  repository: string | null;
  /** Repositories on other registries that get the same artifact (none for most). */
  mirrors: string[];
  version: string | null;
}

/**
 * Writes an OCI image layout holding every artifact, atomically (a sibling temp dir renamed into
 * place). index.json lists manifests sorted by environment, then repository, then version.
 */
export async function writeOciLayout(dir: string, artifacts: PackedArtifact[]): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const tmp = siblingName(dir, 'tmp');
  try {
    await fillLayout(tmp, artifacts);
    await withLayoutLock(dir, () => swapInto(tmp, dir));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function fillLayout(tmp: string, artifacts: PackedArtifact[]): Promise<void> {
  await mkdir(join(tmp, 'blobs', 'sha256'), { recursive: true });
  const written = new Set<string>();
  for (const a of artifacts) {
    for (const blob of [a.config, a.layer, a.manifest]) {
      if (written.has(blob.descriptor.digest)) continue;
      written.add(blob.descriptor.digest);
      await writeFile(blobPath(tmp, blob.descriptor.digest), blob.bytes);
    }
  }
  const sorted = [...artifacts].sort(
    (x, y) => compareStrings(x.environment, y.environment) || compareStrings(x.repository, y.repository) || compareStrings(x.version, y.version),
  );
  const manifests = sorted.map((a) => ({
    ...a.manifest.descriptor,
    annotations: {
      [ANNOTATION_REF_NAME]: a.version,
      [ANNOTATION_ENVIRONMENT]: a.environment,
      [ANNOTATION_REPOSITORY]: a.repository,
      ...(a.mirrors && a.mirrors.length > 0 ? { [ANNOTATION_MIRRORS]: a.mirrors.join(' ') } : {}),
    },
  }));
  await writeFile(join(tmp, 'oci-layout'), canonicalJson(OCI_LAYOUT));
  await writeFile(join(tmp, 'index.json'), canonicalJson({ schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests }));
}

/** Replaces `dir` by the filled `tmp`; readers see the old or the new layout, never a mix. */
async function swapInto(tmp: string, dir: string): Promise<void> {
  await sweepLeftovers(dir);
  const old = siblingName(dir, 'old');
  const hadOld = await rename(dir, old).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  await rename(tmp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** `<dir>.<kind>-<pid>-<random>`: unique per writer, and the pid says whether its writer still runs. */
function siblingName(dir: string, kind: 'tmp' | 'old'): string {
  return `${dir}.${kind}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Removes `<dir>.tmp-*` / `<dir>.old-*` left by writers that died mid-build (their process is gone). */
async function sweepLeftovers(dir: string): Promise<void> {
  const prefix = basename(dir);
  for (const name of await readdir(dirname(dir)).catch(() => [] as string[])) {
    const m = name.startsWith(prefix) ? /^\.(?:tmp|old)-(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length)) : null;
    if (m && !processAlive(Number(m[1]))) await rm(join(dirname(dir), name), { recursive: true, force: true });
  }
}

const LOCK_WAIT_MS = 120_000;
/** A lock still without its pid after this long lost its writer between create and write. */
const LOCK_UNWRITTEN_STALE_MS = 10_000;

/**
 * Runs `fn` holding `<dir>.lock`, so concurrent builds swap the layout one after the other. A pid
 * file created with O_EXCL is enough for writers on one machine; a lock whose process is gone is taken over.
 */
async function withLayoutLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  for (let waited = 0; ;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await lockIsStale(lock)) {
        await rm(lock, { force: true });
        continue;
      }
      if (waited >= LOCK_WAIT_MS)
        throw new OciError({ kind: 'tool', message: `${lock} is held by another process; remove it if no build is running` }, { cause: err });
      await new Promise((r) => setTimeout(r, 25));
      waited += 25;
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

async function lockIsStale(lock: string): Promise<boolean> {
  const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
  if (Number.isSafeInteger(pid) && pid > 0) return !processAlive(pid);
  const st = await stat(lock).catch(() => null); // being written right now, or its writer died first
  return st !== null && Date.now() - st.mtimeMs > LOCK_UNWRITTEN_STALE_MS;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Reads index.json of a layout into its entries; an error value when it is missing or malformed. */
export async function readLayoutIndex(dir: string): Promise<LayoutEntry[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'index.json'), 'utf8');
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `${join(dir, 'index.json')}: cannot read the OCI layout index (run build first)` }, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `${join(dir, 'index.json')}: not valid JSON` }, { cause: err });
  }
  const manifests =
    typeof parsed === 'object' && parsed !== null && 'manifests' in parsed && Array.isArray(parsed.manifests) ? (parsed.manifests as unknown[]) : null;
  if (!manifests) throw new OciError({ kind: 'invalid-content', message: `${join(dir, 'index.json')}: no manifests list` });
  return manifests.map((m, i) => {
    const d = toDescriptor(m);
    if (!d) throw new OciError({ kind: 'invalid-content', message: `${join(dir, 'index.json')}: manifests[${i}] is not a descriptor` });
    const ann = d.annotations ?? {};
    return {
      descriptor: d,
      environment: ann[ANNOTATION_ENVIRONMENT] ?? null,
      repository: ann[ANNOTATION_REPOSITORY] ?? null,
      mirrors: (ann[ANNOTATION_MIRRORS] ?? '').split(' ').filter((m) => m !== ''),
      version: ann[ANNOTATION_REF_NAME] ?? null,
    };
  });
}

/** A read-mostly Store over an OCI layout directory; tags are the index's ref.name annotations. */
export class LayoutStore implements Store {
  readonly label: string;
  private indexWrites: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.label = `oci:${dir}`;
  }

  /** Makes the directory an (empty) OCI layout unless it is one already, so it can receive pushes and tags. */
  async ensureLayout(): Promise<void> {
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    for (const [name, content] of [
      ['oci-layout', canonicalJson(OCI_LAYOUT)],
      ['index.json', canonicalJson({ schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: [] })],
    ] as const) {
      await writeFile(join(this.dir, name), content, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
  }

  async exists(d: Descriptor): Promise<boolean> {
    return readFile(blobPath(this.dir, d.digest)).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
  }

  async fetch(d: Descriptor): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(blobPath(this.dir, d.digest));
    } catch (err) {
      throw new OciError({ kind: 'invalid-content', message: `${this.label}: blob ${d.digest} is missing` }, { cause: err });
    }
    verifyContent(d, bytes, this.label);
    return bytes;
  }

  async push(d: Descriptor, bytes: Uint8Array): Promise<void> {
    verifyContent(d, bytes, this.label);
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    const path = blobPath(this.dir, d.digest);
    await writeFileAtomic(path, bytes);
  }

  async resolve(ref: string): Promise<Descriptor | null> {
    const entries = await readLayoutIndex(this.dir);
    const hit = entries.find((e) => e.descriptor.digest === ref || e.version === ref);
    return hit ? hit.descriptor : null;
  }

  /** Tags rewrite index.json: one at a time, so concurrent tags of one store never lose each other's update. */
  tag(d: Descriptor, tag: string): Promise<void> {
    const next = this.indexWrites.then(() => this.tagNow(d, tag));
    this.indexWrites = next.catch(() => undefined); // the caller gets the failure; the queue goes on
    return next;
  }

  private async tagNow(d: Descriptor, tag: string): Promise<void> {
    const entries = await readLayoutIndex(this.dir);
    const kept = entries.filter((e) => e.version !== tag).map((e) => e.descriptor);
    kept.push({ ...d, annotations: { ...d.annotations, [ANNOTATION_REF_NAME]: tag } });
    await writeFileAtomic(join(this.dir, 'index.json'), canonicalJson({ schemaVersion: 2, mediaType: MEDIA_TYPE_INDEX, manifests: kept }));
  }

  async *listTags(): AsyncIterable<string> {
    for (const e of await readLayoutIndex(this.dir)) if (e.version) yield e.version;
  }
}

function blobPath(dir: string, digest: string): string {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!m) throw new OciError({ kind: 'invalid-content', message: `unsupported digest '${digest}'` });
  return join(dir, 'blobs', 'sha256', m[1]);
}

function toDescriptor(v: unknown): Descriptor | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.mediaType !== 'string' || typeof o.digest !== 'string' || typeof o.size !== 'number') return null;
  const d: Descriptor = { mediaType: o.mediaType, digest: o.digest, size: o.size };
  if (typeof o.annotations === 'object' && o.annotations !== null) {
    const ann: Record<string, string> = {};
    for (const [k, val] of Object.entries(o.annotations)) if (typeof val === 'string') ann[k] = val;
    d.annotations = ann;
  }
  return d;
}

/** Loads one artifact of a layout back into a PackedArtifact (digests verified), for publishing. */
export async function readLayoutArtifact(store: LayoutStore, entry: LayoutEntry): Promise<PackedArtifact> {
  const manifestBytes = await store.fetch(entry.descriptor);
  let parsed: { config?: unknown; layers?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as { config?: unknown; layers?: unknown };
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `${store.label}: manifest ${entry.descriptor.digest} is not JSON` }, { cause: err });
  }
  const config = toDescriptor(parsed.config);
  const layer = Array.isArray(parsed.layers) && parsed.layers.length === 1 ? toDescriptor(parsed.layers[0]) : null;
  if (!config || !layer)
    throw new OciError({ kind: 'invalid-content', message: `${store.label}: manifest ${entry.descriptor.digest} is not a rulesfile artifact` });
  const { annotations: _ignored, ...manifestDescriptor } = entry.descriptor;
  return {
    environment: entry.environment ?? '',
    repository: entry.repository ?? '',
    ...(entry.mirrors.length > 0 ? { mirrors: entry.mirrors } : {}),
    version: entry.version ?? '',
    config: { descriptor: config, bytes: await store.fetch(config) },
    layer: { descriptor: layer, bytes: await store.fetch(layer) },
    manifest: { descriptor: manifestDescriptor, bytes: manifestBytes },
  };
}
