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
    if (req.method === 'HEAD' && path.includes('/blobs/')) return void res.writeHead(404).end(), true;
    if (req.method === 'POST' && path.endsWith('/blobs/uploads/')) {
      return void res.writeHead(202, { location: `http://${uploadTo.address}/upload/session-1` }).end(), true;
    }
    if (req.method === 'PUT' && path.includes('/manifests/')) return void res.writeHead(201).end(), true;
    if (req.method === 'GET' && path.endsWith('/tags/list')) {
      const link = tagsLinkTo ? { link: `<http://${tagsLinkTo.address}/v2/acme/tags/list?last=x>; rel="next"` } : {};
      return void res.writeHead(200, { 'content-type': 'application/json', ...link }).end('{"tags":[]}'), true;
    }
    return false;
  });
}

function acceptUploads(server: HostileServer): void {
  server.handlers.push((req, res) => {
    if (req.method === 'PUT' && pathOf(req).startsWith('/upload/')) return void res.writeHead(201).end(), true;
    if (pathOf(req).endsWith('/tags/list')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"tags":[]}'), true;
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
