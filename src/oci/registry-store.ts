import { RegistryAuth } from './auth.js';
import type { Credential } from './credentials.js';
import { verifyContent } from './digest.js';
import { OciError } from './errors.js';
import { HttpClient, nextPageLink, type HttpRequest, type HttpOptions } from './http.js';
import { MEDIA_TYPE_INDEX, MEDIA_TYPE_MANIFEST } from './media-types.js';
import { isLoopbackHost } from './reference.js';
import type { Descriptor, MountingStore } from './store.js';

/** Pages of a tag list read at most (1,000 tags a page). */
const MAX_TAG_PAGES = 1000;

const MANIFEST_ACCEPT = [MEDIA_TYPE_MANIFEST, MEDIA_TYPE_INDEX, 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');

export interface RegistryTarget {
  /** "host[:port]". */
  registry: string;
  repository: string;
  /** Plain HTTP for a non-loopback registry; loopback registries use it by default. */
  plainHttp?: boolean;
}

/**
 * A Store over the OCI distribution API, on `fetch`: written here because no maintained JavaScript
 * OCI registry client exists. HTTPS unless plain HTTP is asked for or the host is loopback.
 */
export class RegistryStore implements MountingStore {
  readonly label: string;
  private readonly base: string;
  private readonly scopePush: string;
  private readonly scopePull: string;
  /** Manifests this store pushed or fetched, so tagging does not fetch them again. */
  private readonly manifests = new Map<string, Uint8Array>();

  constructor(
    private readonly target: RegistryTarget,
    private readonly http: HttpClient,
    private readonly auth: RegistryAuth,
  ) {
    const scheme = target.plainHttp || isLoopbackHost(target.registry) ? 'http' : 'https';
    this.base = `${scheme}://${target.registry}`;
    this.label = `${target.registry}/${target.repository}`;
    this.scopePull = `repository:${target.repository}:pull`;
    this.scopePush = `repository:${target.repository}:pull,push`;
  }

  get repository(): string {
    return this.target.repository;
  }

  /** GET /v2/: reachable, and the credentials (if any) accepted. */
  async ping(): Promise<void> {
    const req: HttpRequest = { method: 'GET', url: `${this.base}/v2/` };
    const res = await this.auth.send(req, []);
    if (res.status !== 200) throw this.http.statusError(req, res, 'registry ping failed');
  }

  async exists(d: Descriptor): Promise<boolean> {
    const kind = isManifest(d) ? 'manifests' : 'blobs';
    const req: HttpRequest = { method: 'HEAD', url: this.url(`${kind}/${d.digest}`), headers: isManifest(d) ? { accept: MANIFEST_ACCEPT } : {} };
    const res = await this.auth.send(req, [this.scopePull]);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw this.http.statusError(req, res, `cannot check whether ${d.digest} exists`);
  }

  async fetch(d: Descriptor): Promise<Uint8Array> {
    const kind = isManifest(d) ? 'manifests' : 'blobs';
    const req: HttpRequest = {
      method: 'GET',
      url: this.url(`${kind}/${d.digest}`),
      headers: isManifest(d) ? { accept: MANIFEST_ACCEPT } : {},
      maxBytes: d.size,
    };
    const res = await this.auth.send(req, [this.scopePull]);
    if (res.status !== 200) throw this.http.statusError(req, res, `cannot fetch ${d.digest}`);
    verifyContent(d, res.body, `${this.label} ${kind}`);
    return res.body;
  }

  async push(d: Descriptor, bytes: Uint8Array): Promise<void> {
    if (isManifest(d)) return this.putManifest(d, bytes, d.digest);
    // An upload session cannot be resumed after a failed PUT, so a failure restarts it from the POST.
    const attempts = this.http.options.retry.retries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadOnce(d, bytes);
      } catch (err) {
        if (!(err instanceof OciError) || attempt >= attempts || !isTransient(err)) throw err;
        await this.http.pause(attempt);
      }
    }
  }

  /** Cross-repository mount; false when the registry started an upload instead (then cancelled). */
  async mount(d: Descriptor, fromRepository: string): Promise<boolean> {
    const url = this.url(`blobs/uploads/?mount=${encodeURIComponent(d.digest)}&from=${encodeURIComponent(fromRepository)}`);
    const req: HttpRequest = { method: 'POST', url, headers: { 'content-length': '0' } };
    const res = await this.auth.send(req, [this.scopePush, `repository:${fromRepository}:pull`]);
    if (res.status === 201) return true;
    if (res.status === 202) {
      const location = res.headers.get('location');
      if (location) await this.auth.send({ method: 'DELETE', url: this.resolveLocation(location) }, [this.scopePush]);
      return false;
    }
    throw this.http.statusError(req, res, `cannot mount ${d.digest} from ${fromRepository}`);
  }

  async resolve(ref: string): Promise<Descriptor | null> {
    const req: HttpRequest = { method: 'HEAD', url: this.url(`manifests/${ref}`), headers: { accept: MANIFEST_ACCEPT } };
    const res = await this.auth.send(req, [this.scopePull]);
    if (res.status === 404) return null;
    if (res.status !== 200) throw this.http.statusError(req, res, `cannot resolve ${ref}`);
    const digest = res.headers.get('docker-content-digest');
    const size = Number(res.headers.get('content-length'));
    const mediaType = (res.headers.get('content-type') ?? MEDIA_TYPE_MANIFEST).split(';')[0].trim();
    if (!digest || !Number.isFinite(size)) {
      throw new OciError({
        kind: 'invalid-content',
        message: 'the registry did not say which digest the tag points at',
        method: req.method,
        url: this.http.redactUrl(req.url),
        status: res.status,
      });
    }
    return { mediaType, digest, size };
  }

  async tag(d: Descriptor, tag: string): Promise<void> {
    const bytes = this.manifests.get(d.digest) ?? (await this.fetch(d));
    await this.putManifest(d, bytes, tag);
  }

  async *listTags(): AsyncIterable<string> {
    let next: string | null = this.url('tags/list?n=1000');
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next) || seen.size >= MAX_TAG_PAGES) {
        throw new OciError({
          kind: 'invalid-content',
          message: seen.has(next) ? 'the tag list pages loop back to a page already read' : `the tag list has more than ${MAX_TAG_PAGES} pages`,
          method: 'GET',
          url: this.http.redactUrl(next),
        });
      }
      seen.add(next);
      const req: HttpRequest = { method: 'GET', url: next };
      const res = await this.auth.send(req, [this.scopePull]);
      if (res.status === 404) return;
      if (res.status !== 200) throw this.http.statusError(req, res, 'cannot list tags');
      const body = parseJson(res.body) as { tags?: unknown } | null;
      const tags = body && Array.isArray(body.tags) ? body.tags : [];
      for (const t of tags) if (typeof t === 'string') yield t;
      next = nextPageLink(res.headers.get('link'), this.base);
    }
  }

  private async putManifest(d: Descriptor, bytes: Uint8Array, ref: string): Promise<void> {
    const req: HttpRequest = { method: 'PUT', url: this.url(`manifests/${ref}`), headers: { 'content-type': d.mediaType }, body: bytes };
    const res = await this.auth.send(req, [this.scopePush]);
    if (res.status !== 201 && res.status !== 200) throw this.http.statusError(req, res, `cannot put manifest ${ref}`);
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== d.digest) {
      throw new OciError({
        kind: 'digest-mismatch',
        message: `the registry stored the manifest as ${digest}, expected ${d.digest}`,
        method: 'PUT',
        url: this.http.redactUrl(req.url),
      });
    }
    this.manifests.set(d.digest, bytes);
  }

  private async uploadOnce(d: Descriptor, bytes: Uint8Array): Promise<void> {
    const start: HttpRequest = { method: 'POST', url: this.url('blobs/uploads/'), headers: { 'content-length': '0' } };
    const started = await this.auth.send(start, [this.scopePush]);
    if (started.status !== 202) throw this.http.statusError(start, started, `cannot start the upload of ${d.digest}`);
    const location = started.headers.get('location');
    if (!location)
      throw new OciError({
        kind: 'request',
        message: 'the registry gave no upload location',
        method: 'POST',
        url: this.http.redactUrl(start.url),
        status: 202,
      });
    const put = new URL(this.resolveLocation(location));
    put.searchParams.set('digest', d.digest);
    const req: HttpRequest = { method: 'PUT', url: put.toString(), headers: { 'content-type': 'application/octet-stream' }, body: bytes, retryable: false };
    const res = await this.auth.send(req, [this.scopePush]);
    if (res.status !== 201) throw this.http.statusError({ ...req, url: stripQuery(req.url) }, res, `cannot upload ${d.digest}`);
  }

  private url(path: string): string {
    return `${this.base}/v2/${this.target.repository}/${path}`;
  }

  private resolveLocation(location: string): string {
    return new URL(location, this.base).toString();
  }
}

/** Creates a RegistryStore with its own HTTP client and auth state. */
export function openRegistryStore(target: RegistryTarget, credential: Credential | null, http: HttpOptions | HttpClient): RegistryStore {
  const client = http instanceof HttpClient ? http : new HttpClient(http);
  const scheme = target.plainHttp || isLoopbackHost(target.registry) ? 'http' : 'https';
  return new RegistryStore(target, client, new RegistryAuth(client, credential, `${scheme}://${target.registry}`));
}

function isManifest(d: Descriptor): boolean {
  return d.mediaType === MEDIA_TYPE_MANIFEST || d.mediaType === MEDIA_TYPE_INDEX || d.mediaType.includes('manifest');
}

function isTransient(err: OciError): boolean {
  return err.kind === 'network' || (err.status !== undefined && (err.status === 429 || err.status >= 500));
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: 'the registry answered with invalid JSON' }, { cause: err });
  }
}

function stripQuery(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
