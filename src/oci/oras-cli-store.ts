import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { IDENTITY_TOKEN_USER, type Credential } from './credentials.js';
import { verifyContent } from './digest.js';
import { OciError } from './errors.js';
import type { SecretSet } from './redact.js';
import type { Descriptor, Store } from './store.js';

export interface OrasOptions {
  plainHttp: boolean;
  secrets: SecretSet;
  /** Sent as `--username U --password-stdin`, never on the command line. */
  credential: Credential | null;
  /** The environment oras runs in: PATH finds it, DOCKER_CONFIG/HOME give it Docker's credentials. */
  env: Record<string, string | undefined>;
  orasPath?: string;
  timeoutMs?: number;
}

/**
 * A Store that shells out to an installed `oras` CLI, for teams that standardise on it. It pushes
 * the exact config, layer and manifest bytes the native store pushes (`oras blob push`, `oras manifest
 * push` by digest, then `oras tag`), so digests are the same whichever backend published.
 */
export class OrasCliStore implements Store {
  readonly label: string;

  constructor(
    private readonly reference: string,
    private readonly options: OrasOptions,
  ) {
    this.label = reference;
  }

  async exists(d: Descriptor): Promise<boolean> {
    const out = await this.run([kind(d), 'fetch', '--descriptor', `${this.reference}@${d.digest}`], true);
    return out !== null;
  }

  async fetch(d: Descriptor): Promise<Uint8Array> {
    const dir = await mkdtemp(join(tmpdir(), 'oras-fetch-'));
    try {
      const out = join(dir, 'content');
      await this.run([kind(d), 'fetch', '--output', out, `${this.reference}@${d.digest}`]);
      const bytes = await readFile(out);
      verifyContent(d, bytes, this.label);
      return bytes;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async push(d: Descriptor, bytes: Uint8Array): Promise<void> {
    verifyContent(d, bytes, this.label);
    const dir = await mkdtemp(join(tmpdir(), 'oras-push-'));
    try {
      const file = join(dir, isManifest(d) ? 'manifest.json' : 'blob');
      await writeFile(file, bytes);
      const out = await this.run([kind(d), 'push', '--descriptor', '--media-type', d.mediaType, `${this.reference}@${d.digest}`], false, file);
      const pushed = parseDescriptor(out ?? '');
      if (!pushed || pushed.digest !== d.digest || pushed.size !== d.size) {
        throw new OciError({
          kind: 'digest-mismatch',
          message: `oras ${kind(d)} push ${this.reference}@${d.digest} reported ${pushed ? `${pushed.digest} (${pushed.size} bytes)` : 'no descriptor'}, expected ${d.digest} (${d.size} bytes)`,
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async resolve(ref: string): Promise<Descriptor | null> {
    const sep = ref.startsWith('sha256:') ? '@' : ':';
    const out = await this.run(['manifest', 'fetch', '--descriptor', `${this.reference}${sep}${ref}`], true);
    if (out === null) return null;
    const d = parseDescriptor(out);
    if (!d) throw new OciError({ kind: 'tool', message: `oras manifest fetch --descriptor ${this.reference}${sep}${ref} printed no descriptor` });
    return d;
  }

  async tag(d: Descriptor, tag: string): Promise<void> {
    await this.run(['tag', `${this.reference}@${d.digest}`, tag]);
  }

  async *listTags(): AsyncIterable<string> {
    const out = await this.run(['repo', 'tags', this.reference], true);
    for (const line of (out ?? '').split('\n')) if (line.trim()) yield line.trim();
  }

  /**
   * Runs oras with `file` (a temp file) as the last argument; with `missingOk`, a "not found" failure
   * gives null instead of an error. Messages show the file by its base name only.
   */
  private run(args: string[], missingOk = false, file?: string): Promise<string | null> {
    const words = args[0] === 'tag' ? 1 : 2;
    const extra: string[] = [];
    if (this.options.plainHttp) extra.push('--plain-http');
    const credential = this.options.credential;
    if (credential?.username === IDENTITY_TOKEN_USER) extra.push('--identity-token-stdin');
    else if (credential) extra.push('--username', credential.username, '--password-stdin');
    const argv = [...args.slice(0, words), ...extra, ...args.slice(words), ...(file ? [file] : [])];
    const shown = `oras ${args.join(' ')}${file ? ` ${basename(file)}` : ''}`;
    const env = Object.fromEntries(Object.entries(this.options.env).filter((e): e is [string, string] => e[1] !== undefined));
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.options.orasPath ?? 'oras',
        argv,
        { env, maxBuffer: 64 * 1024 * 1024, timeout: this.options.timeoutMs ?? 300_000 },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return reject(
              new OciError({ kind: 'tool', message: `oras is not installed or not on PATH (needed by --backend oras; tried: ${shown})` }, { cause: err }),
            );
          }
          if (missingOk && /not ?found|404/i.test(stderr)) return resolve(null);
          const status = typeof err.code === 'number' ? `exit status ${err.code}` : err.killed ? 'killed (timeout)' : 'failed';
          const detail = stderr.trim().split('\n').slice(-3).join(' ').trim();
          reject(
            new OciError({ kind: 'tool', message: this.options.secrets.redact(`${shown} failed (${status})${detail ? `: ${detail}` : ''}`) }, { cause: err }),
          );
        },
      );
      child.stdin?.on('error', () => undefined); // oras may exit before reading the password; its exit status reports that
      child.stdin?.end(credential ? `${credential.password}\n` : '');
    });
  }
}

function kind(d: Descriptor): 'manifest' | 'blob' {
  return isManifest(d) ? 'manifest' : 'blob';
}

function isManifest(d: Descriptor): boolean {
  return d.mediaType.includes('manifest') || d.mediaType.includes('image.index');
}

function parseDescriptor(text: string): Descriptor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new OciError({ kind: 'tool', message: 'oras printed a descriptor that is not JSON' }, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const o = parsed as Record<string, unknown>;
  if (typeof o.mediaType !== 'string' || typeof o.digest !== 'string' || typeof o.size !== 'number') return null;
  return { mediaType: o.mediaType, digest: o.digest, size: o.size };
}
