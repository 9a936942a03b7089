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
  /** Largest successful response body accepted (a descriptor's size); DEFAULT_MAX_BODY otherwise. */
  maxBytes?: number;
  /** The body holds a credential (an OAuth2 refresh token): never replayed to another host. */
  secretBody?: boolean;
}

/** Cap of a response whose size no descriptor states (tags lists, tokens, pings). */
export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
/** Error bodies are only read for their error codes: the rest is dropped. */
const ERROR_BODY_CAP = 64 * 1024;
/** Redirects followed per request, as browsers and Go's net/http bound them. */
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

/** Whether a request may carry credentials given for `host`: same host and port, never downgraded from HTTPS. */
export function sameHost(from: string, to: string): boolean {
  const a = new URL(from);
  const b = new URL(to);
  return a.host === b.host && !(a.protocol === 'https:' && b.protocol !== 'https:');
}

/**
 * fetch with a timeout per attempt, bounded retries on 429/5xx and connection errors, a user
 * agent, and redaction of every URL and message it reports. Redirects are followed here, not by
 * fetch, so that a hop to another host drops `Authorization` and a 307/308 replays the body.
 * Every body is read to a cap and no further.
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
        response = await this.followRedirects(req);
      } catch (err) {
        if (err instanceof OciError) throw err;
        if (attempt >= maxAttempts) throw this.networkError(req, err, attempt);
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

  private async followRedirects(first: HttpRequest): Promise<HttpResponse> {
    let req = first;
    for (let hops = 0; ; hops++) {
      const res = await this.once(req);
      const location = REDIRECT_STATUS.has(res.status) ? res.headers.get('location') : null;
      if (location === null) return res;
      if (hops >= MAX_REDIRECTS) {
        throw new OciError({ kind: 'redirect-loop', message: `more than ${MAX_REDIRECTS} redirects`, method: first.method, url: this.redactUrl(first.url), status: res.status });
      }
      const to = new URL(location, req.url).toString();
      if (req.secretBody && !sameHost(req.url, to)) {
        throw new OciError({ kind: 'auth', message: 'the token service redirected a credential to another host; not followed', method: first.method, url: this.redactUrl(first.url), status: res.status });
      }
      req = redirected(req, res.status, to);
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...req.headers };
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const init: RequestInit = { method: req.method, headers, signal, redirect: 'manual' };
    // a fresh copy per send: fetch may detach the buffer it was given, and a retry or a 307 sends it again
    if (req.body !== undefined) init.body = new Uint8Array(req.body);
    const res = await this.fetchFn(req.url, init);
    const ok = res.status >= 200 && res.status < 300;
    const cap = ok ? (req.maxBytes ?? DEFAULT_MAX_BODY) : ERROR_BODY_CAP;
    const body = req.method === 'HEAD' || REDIRECT_STATUS.has(res.status) ? await discard(res) : await this.readCapped(req, res, cap, ok);
    return { status: res.status, headers: res.headers, body, url: req.url };
  }

  /** Reads at most `cap` bytes; past it a successful response is an error, an error response is truncated. */
  private async readCapped(req: HttpRequest, res: Response, cap: number, strict: boolean): Promise<Uint8Array> {
    const tooLarge = (): OciError =>
      new OciError({ kind: 'response-too-large', message: `the response body is larger than the ${cap} bytes expected; stopped reading`, method: req.method, url: this.redactUrl(req.url), status: res.status });
    const declared = Number(res.headers.get('content-length'));
    if (strict && Number.isFinite(declared) && declared > cap) {
      await discard(res);
      throw tooLarge();
    }
    if (!res.body) return new Uint8Array();
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.byteLength > cap) {
        await reader.cancel().catch(() => undefined);
        if (strict) throw tooLarge();
        chunks.push(value.subarray(0, cap - total));
        total = cap;
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
    return Buffer.concat(chunks, total);
  }

  private networkError(req: HttpRequest, err: unknown, attempts: number): OciError {
    const cause = err instanceof Error && err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err instanceof Error ? err.message : String(err);
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const message = timedOut ? `timed out after ${this.options.timeoutMs} ms` : cause;
    return new OciError(
      { kind: 'network', message: this.secrets.redact(`${message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`), method: req.method, url: this.redactUrl(req.url) },
      { cause: err },
    );
  }
}

/** The request to send after a redirect: credentials only to the same host, the body only on 307/308. */
function redirected(req: HttpRequest, status: number, url: string): HttpRequest {
  const headers = { ...req.headers };
  if (!sameHost(req.url, url)) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
  }
  if (status === 307 || status === 308 || req.method === 'GET' || req.method === 'HEAD') return { ...req, url, headers };
  const { body: _dropped, ...rest } = req;
  for (const name of Object.keys(headers)) if (/^content-(type|length)$/i.test(name)) delete headers[name];
  return { ...rest, method: 'GET', url, headers };
}

async function discard(res: Response): Promise<Uint8Array> {
  await res.body?.cancel().catch(() => undefined);
  return new Uint8Array();
}
