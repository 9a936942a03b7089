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
}

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

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, ...req.headers };
    const init: RequestInit = { method: req.method, headers, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'follow' };
    if (req.body !== undefined) init.body = req.body;
    const res = await this.fetchFn(req.url, init);
    const body = req.method === 'HEAD' ? new Uint8Array() : new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body, url: res.url || req.url };
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
