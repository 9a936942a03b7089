import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { layoutWith } from '../integration/publish-helpers.js';
import { sampleInput } from '../oci/helpers.js';
import { authorised, basicAuth, registry, STACK_TRACE, startFront, withRegistry, type Front } from './hostile.js';

const fronts: Front[] = [];
afterEach(async () => {
  for (const f of fronts.splice(0)) await f.close();
});

async function front(...args: Parameters<typeof startFront>): Promise<Front> {
  const f = await startFront(...args);
  fronts.push(f);
  return f;
}

/** A second loopback port that forwards to the registry with credentials of its own, so the flow can finish. */
function witness(): Promise<Front> {
  return front(registry.basic, { upstreamAuthorization: basicAuth(registry.username, registry.password) });
}

/** Publishes one artifact to the Basic-auth registry through `address`; returns the repository path and the run. */
async function publishThrough(address: string, env: Record<string, string> = {}) {
  const path = `security/creds-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const input = sampleInput({ repository: `ghcr.io/${path}` });
  const dir = await layoutWith([input]);
  const r = await run(['publish', '--registry', address, '--username', registry.username, '--password-stdin', '--format', 'json'], { cwd: dir, stdin: `${registry.password}\n`, env: { HOME: dir, ...env } });
  return { path, input, r };
}

withRegistry('credentials stay with the registry host they were given for', () => {
  it('an upload Location and a tags-list Link: rel=next on another host get no Authorization; the publish still completes', async () => {
    const w = await witness();
    const f = await front(registry.basic, {
      rewrite: (req, answer) => {
        const url = req.url ?? '';
        if (req.method === 'POST' && url.includes('/blobs/uploads/') && typeof answer.headers.location === 'string') {
          answer.headers.location = `http://${w.address}${answer.headers.location}`;
        }
        if (req.method === 'GET' && url.includes('/tags/list') && !url.includes('last=') && answer.status !== 401) {
          const path = url.split('?')[0]!;
          answer.status = 200;
          answer.headers['content-type'] = 'application/json';
          answer.headers.link = `<http://${w.address}${path}?n=1000&last=a>; rel="next"`;
          answer.body = Buffer.from(JSON.stringify({ name: 'x', tags: [] }));
        }
      },
    });
    const { r } = await publishThrough(f.address);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.code).toBe(0);
    expect(w.seen.filter((s) => s.method === 'PUT' && s.url.includes('/blobs/uploads/')).length).toBeGreaterThan(0);
    expect(w.seen.some((s) => s.method === 'GET' && s.url.includes('/tags/list'))).toBe(true);
    expect(authorised(w)).toEqual([]);
    expect(authorised(f).length).toBeGreaterThan(0); // the registry itself did get them
    expect(r.stdout).not.toContain(registry.password);
  });

  it('a redirect of a blob download to another host drops Authorization', async () => {
    const { path, input } = await publishThrough(registry.basic);
    const w = await witness();
    const f = await front(registry.basic, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !/\/blobs\/sha256:/.test(req.url ?? '') || !req.headers.authorization) return false;
        res.writeHead(307, { location: `http://${w.address}${req.url}` });
        res.end();
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-creds-'));
    const r = await run(['pull', `${f.address}/${path}:1.7.0`, '--out', out, '--username', registry.username, '--password-stdin'], { cwd: out, stdin: registry.password });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'falco-rules-production.yaml'), 'utf8')).toBe(Buffer.from(input.rulesFile).toString('utf8'));
    expect(w.seen.filter((s) => s.url.includes('/blobs/'))).toHaveLength(2); // config and layer
    expect(authorised(w)).toEqual([]);
  });

  it('a Basic challenge from another host is not answered with credentials from the environment', async () => {
    const { path } = await publishThrough(registry.basic);
    const challenger = await front(registry.basic, {
      intercept: (_req, res) => {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="give me your password"', 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return true;
      },
    });
    const f = await front(registry.basic, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !/\/blobs\/sha256:/.test(req.url ?? '')) return false;
        res.writeHead(302, { location: `http://${challenger.address}${req.url}` });
        res.end();
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-creds-'));
    const env = { FALCO_GITOPS_REGISTRY_USERNAME: registry.username, FALCO_GITOPS_REGISTRY_PASSWORD: registry.password };
    const r = await run(['pull', `${f.address}/${path}:1.7.0`, '--out', out, '--format', 'json'], { cwd: out, env });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { error: { kind: string; status: number; url: string } };
    expect(json.error).toMatchObject({ kind: 'auth', status: 401 });
    expect(challenger.seen.length).toBeGreaterThan(0);
    expect(authorised(challenger)).toEqual([]);
    expect(r.stdout).not.toContain(registry.password);
  });

  it('Basic credentials never go to a plain-HTTP Bearer realm on another host', async () => {
    const tokenService = await front(registry.basic, {
      intercept: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: 'stolen' }));
        return true;
      },
    });
    const f = await front(registry.basic, {
      intercept: (req, res) => {
        if (req.headers.authorization === 'Bearer stolen') return false;
        res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokenService.address}/token",service="evil"`, 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-creds-'));
    const r = await run(['pull', `${f.address}/security/any:1.0.0`, '--out', out, '--username', registry.username, '--password-stdin'], { cwd: out, stdin: registry.password });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the registry's token service ${tokenService.address} is another host over plain HTTP; credentials are not sent there`);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(tokenService.seen).toEqual([]);
  });
});
