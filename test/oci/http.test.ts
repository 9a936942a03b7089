import { describe, expect, it } from 'vitest';
import { HttpClient, redact, SecretSet, DEFAULT_RETRY } from '../../src/oci/index.js';
import { parseRetryAfter, retryDelay } from '../../src/oci/http.js';
import { parseChallenge } from '../../src/oci/auth.js';
import { parseReference } from '../../src/oci/index.js';

describe('retry policy', () => {
  it('honours Retry-After in seconds and as a date, capped by the policy', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(retryDelay({ retries: 3, baseDelayMs: 100, maxDelayMs: 1500 }, 1, '60', () => 0.5, now)).toBe(1500);
  });

  it('backs off exponentially with jitter inside [cap/2, cap]', () => {
    const p = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(p, 1, null, () => 0)).toBe(50);
    expect(retryDelay(p, 3, null, () => 1)).toBe(400);
    expect(retryDelay(p, 10, null, () => 1)).toBe(1000);
  });

  it('retries 503 then succeeds, and gives up after the bounded attempts', async () => {
    const statuses = [503, 503, 200];
    const calls: number[] = [];
    const fake = (async () => {
      calls.push(1);
      return new Response('', { status: statuses.shift() ?? 500 });
    }) as typeof fetch;
    const http = new HttpClient({ userAgent: 't', timeoutMs: 1000, retry: DEFAULT_RETRY, secrets: new SecretSet(), fetch: fake, sleep: async () => undefined });
    expect((await http.send({ method: 'GET', url: 'http://x/v2/' })).status).toBe(200);
    expect(calls).toHaveLength(3);
    const always = (async () => new Response('', { status: 502 })) as typeof fetch;
    const http2 = new HttpClient({
      userAgent: 't',
      timeoutMs: 1000,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 },
      secrets: new SecretSet(),
      fetch: always,
      sleep: async () => undefined,
    });
    expect((await http2.send({ method: 'GET', url: 'http://x/v2/' })).status).toBe(502);
  });

  it('never sends a non-retryable request twice', async () => {
    let n = 0;
    const fake = (async () => {
      n++;
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const http = new HttpClient({ userAgent: 't', timeoutMs: 1000, retry: DEFAULT_RETRY, secrets: new SecretSet(), fetch: fake, sleep: async () => undefined });
    await expect(http.send({ method: 'PUT', url: 'http://x/upload', body: new Uint8Array(1), retryable: false })).rejects.toThrow(
      /PUT http:\/\/x\/upload: fetch failed \(after 1 attempt\)/,
    );
    expect(n).toBe(1);
  });
});

describe('redact', () => {
  it('removes secrets, their Basic form, URL credentials and Authorization headers', () => {
    const s = new SecretSet();
    s.addCredentials('bob', 'hunter22');
    const b64 = Buffer.from('bob:hunter22').toString('base64');
    expect(s.redact(`password hunter22 and ${b64}`)).toBe('password *** and ***');
    expect(redact('https://bob:pw@ghcr.io/v2/')).toBe('https://***@ghcr.io/v2/');
    expect(redact('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    expect(redact('http://t/token?access_token=xyz&x=1')).toBe('http://t/token?access_token=***&x=1');
  });
});

describe('parseChallenge', () => {
  it('reads a Bearer challenge with realm, service and scope', () => {
    expect(parseChallenge('Bearer realm="https://auth.io/token",service="registry.io",scope="repository:a/b:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.io/token', service: 'registry.io', scope: 'repository:a/b:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('Negotiate')).toBeNull();
  });
});

describe('parseReference', () => {
  it('splits registry, repository, tag and digest', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(parseReference('ghcr.io/acme/rules:1.7.0')).toEqual({ ok: true, ref: { registry: 'ghcr.io', repository: 'acme/rules', tag: '1.7.0' } });
    expect(parseReference(`127.0.0.1:5000/rules@${d}`)).toEqual({ ok: true, ref: { registry: '127.0.0.1:5000', repository: 'rules', digest: d } });
    expect(parseReference('rules:1')).toEqual({ ok: false, message: "reference 'rules:1' has no registry host (expected host/repository[:tag|@digest])" });
    expect(parseReference('ghcr.io/Acme/rules').ok).toBe(false);
  });
});

describe('token realms and credential-bearing bodies', () => {
  it('trusts a realm the registry names on its own origin or host, any HTTPS realm of an HTTPS registry, never plain HTTP elsewhere', async () => {
    const { trustedTokenService } = await import('../../src/oci/auth.js');
    expect(trustedTokenService('http://127.0.0.1:5000/token', 'http://127.0.0.1:5000')).toBe(true);
    expect(trustedTokenService('https://ghcr.io/token', 'https://ghcr.io')).toBe(true);
    expect(trustedTokenService('https://gitlab.com/jwt/auth', 'https://registry.gitlab.com')).toBe(true);
    expect(trustedTokenService('https://auth.docker.io/token', 'http://registry-1.docker.io')).toBe(true);
    expect(trustedTokenService('https://evil.example/token', 'http://127.0.0.1:5000')).toBe(false);
    expect(trustedTokenService('http://evil.example/token', 'https://ghcr.io')).toBe(false);
    expect(trustedTokenService('http://127.0.0.1:6000/token', 'http://127.0.0.1:5000')).toBe(false);
  });

  it('a 307 of a request whose body is a credential is not followed to another origin', async () => {
    const urls: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response(null, { status: 307, headers: { location: 'http://elsewhere.example/token' } });
    }) as typeof fetch;
    const http = new HttpClient({ userAgent: 't', timeoutMs: 1000, retry: DEFAULT_RETRY, secrets: new SecretSet(), fetch: fake, sleep: async () => undefined });
    const req = { method: 'POST' as const, url: 'https://auth.example/token', body: Buffer.from('refresh_token=abc'), secretBody: true };
    await expect(http.send(req)).rejects.toThrow(/redirected a credential to elsewhere\.example; not followed/);
    expect(urls).toEqual(['https://auth.example/token']);
  });
});
