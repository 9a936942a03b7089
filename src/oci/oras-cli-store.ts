import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyContent } from './digest.js';
import { OciError } from './errors.js';
import type { SecretSet } from './redact.js';
import type { Descriptor, Store } from './store.js';

/**
 * A Store that shells out to an installed `oras` CLI (blob push, manifest push/fetch, repo tags),
 * for teams that standardise on it. Same bytes, same media types, same digests as the native store.
 */
export class OrasCliStore implements Store {
  readonly label: string;

  constructor(
    private readonly reference: string,
    private readonly options: { plainHttp: boolean; secrets: SecretSet; orasPath?: string },
  ) {
    this.label = reference;
  }

  async exists(d: Descriptor): Promise<boolean> {
    const sub = isManifest(d) ? ['manifest', 'fetch', '--descriptor'] : ['blob', 'fetch', '--descriptor'];
    const r = await this.run([...sub, `${this.reference}@${d.digest}`], true);
    return r !== null;
  }

  async fetch(d: Descriptor): Promise<Uint8Array> {
    const dir = await mkdtemp(join(tmpdir(), 'oras-fetch-'));
    try {
      const out = join(dir, 'content');
      const sub = isManifest(d) ? ['manifest', 'fetch', '--output', out] : ['blob', 'fetch', '--output', out];
      await this.run([...sub, `${this.reference}@${d.digest}`]);
      const bytes = await readFile(out);
      verifyContent(d, bytes, this.label);
      return bytes;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async push(d: Descriptor, bytes: Uint8Array): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'oras-push-'));
    try {
      const file = join(dir, 'content');
      await writeFile(file, bytes);
      if (isManifest(d)) await this.run(['manifest', 'push', '--media-type', d.mediaType, `${this.reference}@${d.digest}`, file]);
      else await this.run(['blob', 'push', `${this.reference}@${d.digest}`, file]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async resolve(ref: string): Promise<Descriptor | null> {
    const sep = ref.startsWith('sha256:') ? '@' : ':';
    const out = await this.run(['manifest', 'fetch', '--descriptor', `${this.reference}${sep}${ref}`], true);
    if (out === null) return null;
    const d = JSON.parse(out) as Descriptor;
    return { mediaType: d.mediaType, digest: d.digest, size: d.size };
  }

  async tag(d: Descriptor, tag: string): Promise<void> {
    await this.run(['tag', `${this.reference}@${d.digest}`, tag]);
  }

  async *listTags(): AsyncIterable<string> {
    const out = await this.run(['repo', 'tags', this.reference], true);
    for (const line of (out ?? '').split('\n')) if (line.trim()) yield line.trim();
  }

  /** Runs oras; with `missingOk`, a "not found" failure gives null instead of an error. */
  private run(args: string[], missingOk = false): Promise<string | null> {
    const words = ['blob', 'manifest', 'repo'].includes(args[0]!) ? 2 : 1;
    const full = this.options.plainHttp ? [...args.slice(0, words), '--plain-http', ...args.slice(words)] : args;
    return new Promise((resolve, reject) => {
      execFile(this.options.orasPath ?? 'oras', full, { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if (missingOk && /not ?found|404/i.test(stderr)) return resolve(null);
        const message = this.options.secrets.redact(`oras ${args.slice(0, 2).join(' ')} failed: ${stderr.trim() || err.message}`);
        reject(new OciError({ kind: 'tool', message }, { cause: err }));
      });
    });
  }
}

function isManifest(d: Descriptor): boolean {
  return d.mediaType.includes('manifest') || d.mediaType.includes('image.index');
}
