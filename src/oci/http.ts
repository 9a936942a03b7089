import { OciError, parseRegistryErrors } from './errors.js';
import type { SecretSet } from './redact.js';

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface HttpOptions {
  userAgent: string;
  timeoutMs: number;
  retry: RetryPolicy;
  secrets: SecretSet;
  /** Injected for tests of the policy; the real `fetch` otherwise. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Always a buffer, so a retry can send it again. */
  body?: Uint8Array;
  /** False for requests that must not be sent twice (an upload session's final PUT). */
  retryable?: boolean;
  /** The most body bytes accepted; more is an error and reading stops there. Default: MAX_DOCUMENT_BYTES. */
  maxBytes?: number;
  /** The body holds a credential (an OAuth2 refresh token): never sent again to another origin. */
  secretBody?: boolean;
}

/** Cap on bodies that are documents, not blobs (manifests, tag lists, tokens, error bodies). */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** Redirects followed for one request; registries use one (to blob storage), rarely two. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  url: string;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/** Response statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUS.has(status);
}

/**
 * The host name did not resolve (ENOTFOUND, EAI_AGAIN): asking again a moment later gives the same
 * answer, typically a placeholder or misspelt registry, so it is reported at once, not retried.
 */
export function isNameResolutionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return true;
  }
  return false;
}

/** Delay before attempt `attempt` (1-based): Retry-After when given, else capped exponential backoff with full jitter. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter: string | null, random: () => number, now = Date.now()): number {
  const after = parseRetryAfter(retryAfter, now);
  if (after !== null) return Math.min(after, policy.maxDelayMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * fetch with a timeout per attempt, bounded retries on 429/5xx and connection errors, a user
 * agent, and redaction of every URL and message it reports.
 */
export class HttpClient {
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(readonly options: HttpOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  get secrets(): SecretSet {
    return this.options.secrets;
  }

  /** Sends the request; retries as the policy says; the last response is returned whatever its status. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const maxAttempts = req.retryable === false ? 1 : this.options.retry.retries + 1;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.once(req);
      } catch (err) {
        if (err instanceof OciError) throw err;
        if (attempt >= maxAttempts || isNameResolutionFailure(err)) throw this.networkError(req, err, attempt);
        await this.sleep(retryDelay(this.options.retry, attempt, null, this.random));
        continue;
      }
      if (!isRetryableStatus(response.status) || attempt >= maxAttempts) return response;
      await this.sleep(retryDelay(this.options.retry, attempt, response.headers.get('retry-after'), this.random));
    }
  }

  /** Waits as long as the policy says before attempt `attempt + 1` of an operation retried by its caller. */
  pause(attempt: number): Promise<void> {
    return this.sleep(retryDelay(this.options.retry, attempt, null, this.random));
  }

  /** An OciError for an unexpected status, with the registry's error codes. */
  statusError(req: HttpRequest, res: HttpResponse, what: string): OciError {
    const text = Buffer.from(res.body).toString('utf8');
    return new OciError({
      kind: res.status === 401 || res.status === 403 ? 'auth' : 'request',
      message: this.secrets.redact(what),
      method: req.method,
      url: this.redactUrl(req.url),
      status: res.status,
      codes: parseRegistryErrors(text).map((c) => ({ code: c.code, message: this.secrets.redact(c.message) })),
    });
  }

  redactUrl(url: string): string {
    return this.secrets.redact(url);
  }

  /**
   * One attempt. Redirects are followed here, not by fetch, so that the body is sent again from our
   * own buffer and credentials never cross to another origin (a redirect, like an upload Location,
   * is chosen by the server).
   */
  private async once(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...req.headers };
    for (let hop = 0; ; hop++) {
      const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'manual' };
      if (body !== undefined) init.body = Buffer.from(body);
      const res = await this.fetchFn(url, init);
      const location = REDIRECT_STATUS.has(res.status) ? res.headers.get('location') : null;
      if (location === null) {
        const bytes = method === 'HEAD' ? new Uint8Array() : await this.readBody(res, { ...req, url }, req.maxBytes ?? MAX_DOCUMENT_BYTES);
        return { status: res.status, headers: res.headers, body: bytes, url: res.url || url };
      }
      await res.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS)
        throw new OciError({ kind: 'request', message: `more than ${MAX_REDIRECTS} redirects`, method: req.method, url: this.redactUrl(req.url) });
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new OciError({ kind: 'request', message: `redirect to a ${next.protocol} URL refused`, method: req.method, url: this.redactUrl(req.url) });
      }
      if (next.origin !== new URL(url).origin) {
        if (req.secretBody && body !== undefined && (res.status === 307 || res.status === 308)) {
          throw new OciError({
            kind: 'auth',
            message: `the token service redirected a credential to ${next.host}; not followed`,
            method: req.method,
            url: this.redactUrl(req.url),
            status: res.status,
          });
        }
        dropAuthorization(headers);
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next.toString();
    }
  }

  /** Reads at most `max` bytes: a larger Content-Length is refused before reading, a longer stream is cut at the cap. */
  private async readBody(res: Response, req: HttpRequest, max: number): Promise<Uint8Array> {
    const tooLarge = (): OciError =>
      new OciError({
        kind: 'invalid-content',
        message: `the response body is larger than the ${max} bytes expected`,
        method: req.method,
        url: this.redactUrl(req.url),
        status: res.status,
      });
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > max) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!res.body) return new Uint8Array();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  private networkError(req: HttpRequest, err: unknown, attempts: number): OciError {
    const cause =
      err instanceof Error && err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err instanceof Error ? err.message : String(err);
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const message = timedOut ? `timed out after ${this.options.timeoutMs} ms` : cause;
    return new OciError(
      {
        kind: 'network',
        message: this.secrets.redact(`${message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`),
        method: req.method,
        url: this.redactUrl(req.url),
      },
      { cause: err },
    );
  }
}

function dropAuthorization(headers: Record<string, string>): void {
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
}

/** The `rel="next"` target of an RFC 8288 Link header, resolved against `base`; null when there is none. */
export function nextPageLink(header: string | null, base: string): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (m) return new URL(m[1], base).toString();
  }
  return null;
}
