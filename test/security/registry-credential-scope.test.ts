/**
 * Credentials are scoped to the registry they were given for. A registry (or whoever answers for
 * it) names other URLs: upload Locations, tag-list Links, redirects, token realms. None of those
 * hops on another origin may receive Authorization, and FALCO_GITOPS_REGISTRY_HOST keeps the
 * environment's credentials for one host.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packArtifact, writeOciLayout } from '../../src/oci/index.js';
import { run } from '../helpers/cli.js';
import { sampleInput } from '../oci/helpers.js';
import { authorised, digestOf, serveArtifact, startHostileServer, tarGz, type HostileServer } from './hostile-registry.js';
import { readFileSync } from 'node:fs';
import { layoutWith } from '../integration/publish-helpers.js';
import { authorisedAt, basicAuth, registry as real, STACK_TRACE, useFronts, withRegistry } from './real-registry.js';

const USER = 'ci-bot';
const PASSWORD = 's3cret-registry-password';
const ENV = { FALCO_GITOPS_REGISTRY_USERNAME: USER, FALCO_GITOPS_REGISTRY_PASSWORD: PASSWORD };

let registry: HostileServer;
let elsewhere: HostileServer;
beforeEach(async () => {
  registry = await startHostileServer();
  elsewhere = await startHostileServer();
});
afterEach(async () => {
  await registry.close();
  await elsewhere.close();
});

const pathOf = (req: IncomingMessage): string => new URL(req.url ?? '/', 'http://x').pathname;

/** The registry answers 401 with a Basic challenge until it gets our credentials. */
function requireBasic(server: HostileServer): void {
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  server.handlers.unshift((req, res) => {
    if (req.headers.authorization === expected) return false;
    res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
    return true;
  });
}

/** Just enough of the push API for `publish`: blobs missing, uploads sent to `uploadTo`, manifests accepted. */
function acceptPushes(server: HostileServer, uploadTo: HostileServer, tagsLinkTo: HostileServer | null): void {
  server.handlers.push((req, res) => {
    const path = pathOf(req);
    if (req.method === 'HEAD' && path.includes('/blobs/')) return (void res.writeHead(404).end(), true);
    if (req.method === 'POST' && path.endsWith('/blobs/uploads/')) {
      return (void res.writeHead(202, { location: `http://${uploadTo.address}/upload/session-1` }).end(), true);
    }
    if (req.method === 'PUT' && path.includes('/manifests/')) return (void res.writeHead(201).end(), true);
    if (req.method === 'GET' && path.endsWith('/tags/list')) {
      const link = tagsLinkTo ? { link: `<http://${tagsLinkTo.address}/v2/acme/tags/list?last=x>; rel="next"` } : {};
      return (void res.writeHead(200, { 'content-type': 'application/json', ...link }).end('{"tags":[]}'), true);
    }
    return false;
  });
}

function acceptUploads(server: HostileServer): void {
  server.handlers.push((req, res) => {
    if (req.method === 'PUT' && pathOf(req).startsWith('/upload/')) return (void res.writeHead(201).end(), true);
    if (pathOf(req).endsWith('/tags/list')) return (void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags":[]}'), true);
    return false;
  });
}

async function layoutDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fg-scope-'));
  await writeOciLayout(join(dir, 'out', 'oci'), [packArtifact(sampleInput())]);
  return dir;
}

describe('credentials stay on their registry', () => {
  it('an upload Location and a tag-list Link on another host receive no Authorization', async () => {
    requireBasic(registry);
    acceptPushes(registry, elsewhere, elsewhere);
    acceptUploads(elsewhere);
    const dir = await layoutDir();
    const r = await run(['publish', '--registry', registry.address, '--format', 'json'], { cwd: dir, env: { HOME: dir, ...ENV } });
    expect(authorised(registry).length).toBeGreaterThan(0); // the registry itself did get them
    expect(elsewhere.seen.some((s) => s.path.startsWith('/upload/'))).toBe(true);
    expect(elsewhere.seen.some((s) => s.path.includes('/tags/list'))).toBe(true);
    expect(authorised(elsewhere)).toEqual([]);
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  });

  it('a redirect to another host receives no Authorization, and the pull still verifies the content', async () => {
    requireBasic(registry);
    const layer = await tarGz([{ name: 'rules.yaml', body: '- list: a\n  items: []\n' }]);
    serveArtifact(registry, '1.0.0', layer);
    serveArtifact(elsewhere, 'unused', layer);
    registry.handlers.push((req, res) => {
      if (!pathOf(req).endsWith(`/blobs/${digestOf(layer)}`)) return false;
      res.writeHead(307, { location: `http://${elsewhere.address}${pathOf(req)}` }).end();
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'fg-scope-'));
    const r = await run(['pull', `${registry.address}/acme/rules:1.0.0`, '--out', 'out'], { cwd: dir, env: { HOME: dir, ...ENV } });
    expect(r.code).toBe(0);
    expect(elsewhere.seen.some((s) => s.path.includes('/blobs/'))).toBe(true);
    expect(authorised(elsewhere)).toEqual([]);
  });

  it('Basic credentials never go to a Bearer realm on another host', async () => {
    registry.handlers.unshift((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${elsewhere.address}/token",service="registry"` }).end();
      return true;
    });
    elsewhere.handlers.push((_req, res) => (res.writeHead(401).end(), true));
    const dir = mkdtempSync(join(tmpdir(), 'fg-scope-'));
    const r = await run(['pull', `${registry.address}/acme/rules:1.0.0`, '--out', 'out'], { cwd: dir, env: { HOME: dir, ...ENV } });
    expect(r.code).not.toBe(0);
    expect(elsewhere.seen.some((s) => s.path.startsWith('/token'))).toBe(true); // asked, anonymously
    expect(authorised(elsewhere)).toEqual([]);
    expect(r.stderr).not.toContain(PASSWORD);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('FALCO_GITOPS_REGISTRY_HOST keeps the environment credentials for that host only', async () => {
    requireBasic(registry);
    serveArtifact(registry, '1.0.0', await tarGz([{ name: 'rules.yaml', body: 'x' }]));
    const dir = mkdtempSync(join(tmpdir(), 'fg-scope-'));
    const r = await run(['pull', `${registry.address}/acme/rules:1.0.0`, '--out', 'out'], {
      cwd: dir,
      env: { HOME: dir, ...ENV, FALCO_GITOPS_REGISTRY_HOST: 'ghcr.io' },
    });
    expect(r.code).not.toBe(0);
    expect(authorised(registry)).toEqual([]);
    const scoped = await run(['pull', `${registry.address}/acme/rules:1.0.0`, '--out', 'out'], {
      cwd: dir,
      env: { HOME: dir, ...ENV, FALCO_GITOPS_REGISTRY_HOST: registry.address },
    });
    expect(scoped.code).toBe(0);
  });
});

withRegistry("credentials stay on their registry: Debian's docker-registry behind a front that bends one answer", () => {
  const front = useFronts();
  /** A second loopback port that forwards to the registry with credentials of its own, so the flow can finish. */
  const witness = (): Promise<Front> => front(real.basic, { upstreamAuthorization: basicAuth(real.username, real.password) });
  async function publishThrough(address: string) {
    const path = `security/creds-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const input = sampleInput({ repository: `ghcr.io/${path}` });
    const dir = await layoutWith([input]);
    const r = await run(['publish', '--registry', address, '--username', real.username, '--password-stdin', '--format', 'json'], {
      cwd: dir,
      stdin: `${real.password}\n`,
      env: { HOME: dir },
    });
    return { path, input, r };
  }

  it('an upload Location and a tags-list Link: rel=next on another host get no Authorization; the publish completes', async () => {
    const w = await witness();
    const f = await front(real.basic, {
      rewrite: (req, answer) => {
        const url = req.url ?? '';
        if (req.method === 'POST' && url.includes('/blobs/uploads/') && typeof answer.headers.location === 'string') {
          answer.headers.location = `http://${w.address}${answer.headers.location}`;
        }
        if (req.method === 'GET' && url.includes('/tags/list') && !url.includes('last=') && answer.status !== 401) {
          answer.status = 200;
          answer.headers['content-type'] = 'application/json';
          answer.headers.link = `<http://${w.address}${url.split('?')[0]!}?n=1000&last=a>; rel="next"`;
          answer.body = Buffer.from(JSON.stringify({ name: 'x', tags: [] }));
        }
      },
    });
    const { r } = await publishThrough(f.address);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.code).toBe(0);
    expect(w.seen.filter((s) => s.method === 'PUT' && s.url.includes('/blobs/uploads/')).length).toBeGreaterThan(0);
    expect(w.seen.some((s) => s.method === 'GET' && s.url.includes('/tags/list'))).toBe(true);
    expect(authorisedAt(w)).toEqual([]);
    expect(authorisedAt(f).length).toBeGreaterThan(0); // the registry itself did get them
    expect(r.stdout).not.toContain(real.password);
  });

  it('a redirect of a blob download to another host drops Authorization; the pull completes', async () => {
    const { path, input } = await publishThrough(real.basic);
    const w = await witness();
    const f = await front(real.basic, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !/\/blobs\/sha256:/.test(req.url ?? '') || !req.headers.authorization) return false;
        res.writeHead(307, { location: `http://${w.address}${req.url}` });
        res.end();
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-creds-'));
    const r = await run(['pull', `${f.address}/${path}:1.7.0`, '--out', out, '--username', real.username, '--password-stdin'], {
      cwd: out,
      stdin: real.password,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'falco-rules-production.yaml'), 'utf8')).toBe(Buffer.from(input.rulesFile).toString('utf8'));
    expect(w.seen.filter((s) => s.url.includes('/blobs/'))).toHaveLength(2); // config and layer
    expect(authorisedAt(w)).toEqual([]);
  });

  it('a Basic challenge from the host a redirect led to is not answered with the environment credentials', async () => {
    const { path } = await publishThrough(real.basic);
    const challenger = await front(real.basic, {
      intercept: (_req, res) => {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="give me your password"', 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        return true;
      },
    });
    const f = await front(real.basic, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !/\/blobs\/sha256:/.test(req.url ?? '')) return false;
        res.writeHead(302, { location: `http://${challenger.address}${req.url}` });
        res.end();
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-creds-'));
    const env = { FALCO_GITOPS_REGISTRY_USERNAME: real.username, FALCO_GITOPS_REGISTRY_PASSWORD: real.password };
    const r = await run(['pull', `${f.address}/${path}:1.7.0`, '--out', out, '--format', 'json'], { cwd: out, env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'auth', status: 401 });
    expect(challenger.seen).toHaveLength(1); // asked once, never again with credentials
    expect(authorisedAt(challenger)).toEqual([]);
    expect(r.stdout).not.toContain(real.password);
  });
});
