/**
 * Loops and redirects chosen by the registry: a tag list whose next page is a page already read,
 * a redirect that points back at itself, and a 307 on a blob upload, whose body must be sent again
 * in full to the new location.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packArtifact, writeOciLayout } from '../../src/oci/index.js';
import { run } from '../helpers/cli.js';
import { sampleInput } from '../oci/helpers.js';
import { startHostileServer, type HostileServer } from './hostile-registry.js';
import { layoutWith } from '../integration/publish-helpers.js';
import { authorisedAt, basicAuth, registry as real, useFronts, uniqueRepository, withRegistry } from './real-registry.js';

let server: HostileServer;
beforeEach(async () => {
  server = await startHostileServer();
});
afterEach(async () => server.close());

const pathOf = (req: IncomingMessage): string => new URL(req.url ?? '/', 'http://x').pathname;

/** Accepts pushes; `tagsLink` is the Link header of every tag-list page; uploads go to /upload/1 (PUT there may be redirected by a test). */
function acceptPushes(tagsLink: string | null): void {
  server.handlers.push((req, res) => {
    const path = pathOf(req);
    if (req.method === 'HEAD' && path.includes('/blobs/')) return (void res.writeHead(404).end(), true);
    if (req.method === 'POST' && path.endsWith('/blobs/uploads/')) return (void res.writeHead(202, { location: '/upload/1' }).end(), true);
    if (req.method === 'PUT' && path.startsWith('/upload/')) return (void res.writeHead(201).end(), true);
    if (req.method === 'PUT' && path.includes('/manifests/')) return (void res.writeHead(201).end(), true);
    if (req.method === 'GET' && path.endsWith('/tags/list')) {
      return (void res.writeHead(200, { 'content-type': 'application/json', ...(tagsLink ? { link: tagsLink } : {}) }).end('{"tags":["0.1.0"]}'), true);
    }
    return false;
  });
}

async function publish(): Promise<Awaited<ReturnType<typeof run>>> {
  const dir = mkdtempSync(join(tmpdir(), 'fg-redirects-'));
  await writeOciLayout(join(dir, 'out', 'oci'), [packArtifact(sampleInput())]);
  return run(['publish', '--registry', server.address, '--format', 'json'], { cwd: dir, env: { HOME: dir } });
}

describe('pagination and redirect loops end', () => {
  it('a tag list whose next page is itself', async () => {
    acceptPushes('</v2/acme/falco-rules-production/tags/list?n=1000>; rel="next"');
    const r = await publish();
    expect(r.code).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain('the tag list pages loop back to a page already read');
    expect(server.seen.filter((s) => s.path.includes('/tags/list')).length).toBeLessThanOrEqual(2);
  });

  it('a redirect that points back at itself', async () => {
    server.handlers.push((req, res) => {
      if (!pathOf(req).includes('/manifests/')) return false;
      res.writeHead(302, { location: req.url ?? '/' }).end();
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'fg-redirects-'));
    const r = await run(['pull', `${server.address}/acme/rules:1.0.0`, '--out', 'out'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('more than 5 redirects');
    expect(server.seen.filter((s) => s.path.includes('/manifests/')).length).toBe(6);
  });
});

describe('a 307 on blob upload', () => {
  it('sends the whole body again to the new location', async () => {
    server.handlers.push((req, res) => {
      if (req.method !== 'PUT' || pathOf(req) !== '/upload/1') return false;
      res.writeHead(307, { location: `/upload/2${new URL(req.url ?? '/', 'http://x').search}` }).end();
      return true;
    });
    acceptPushes(null);
    const r = await publish();
    expect(r.stderr).not.toMatch(/detached|ArrayBuffer/i);
    expect(r.code).toBe(0);
    const first = server.seen.filter((s) => s.method === 'PUT' && s.path.startsWith('/upload/1'));
    const again = server.seen.filter((s) => s.method === 'PUT' && s.path.startsWith('/upload/2'));
    expect(again.length).toBe(first.length);
    expect(again.map((s) => s.body.length)).toEqual(first.map((s) => s.body.length));
    expect(again.every((s) => s.body.length > 0)).toBe(true);
  });
});

withRegistry("loops and redirects through Debian's docker-registry behind a front that bends one answer", () => {
  const front = useFronts();

  it('a Link cycle between two tags-list pages is stopped when it comes round', async () => {
    const f = await front(real.open, {
      intercept: (req, res, self) => {
        const url = new URL(req.url ?? '/', `http://${self}`);
        if (req.method !== 'GET' || !url.pathname.endsWith('/tags/list')) return false;
        const next = url.searchParams.get('last') === 'a' ? 'b' : 'a';
        res.writeHead(200, { 'content-type': 'application/json', link: `<${url.pathname}?n=1000&last=${next}>; rel="next"` });
        res.end(JSON.stringify({ name: 'x', tags: [] }));
        return true;
      },
    });
    const dir = await layoutWith([sampleInput({ repository: `ghcr.io/${uniqueRepository('loops')}` })]);
    const r = await run(['publish', '--registry', f.address, '--format', 'json'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the tag list pages loop back to a page already read');
    expect(f.seen.filter((s) => s.url.includes('/tags/list'))).toHaveLength(3); // first, a, b; b links to a again
  });

  it('a 307 on the blob upload PUT to another host replays the body there without credentials; the registry gets the blobs', async () => {
    const w = await front(real.basic, { upstreamAuthorization: basicAuth(real.username, real.password) });
    const f = await front(real.basic, {
      intercept: (req, res) => {
        if (req.method !== 'PUT' || !req.url?.includes('/blobs/uploads/')) return false;
        res.writeHead(307, { location: `http://${w.address}${req.url}` });
        res.end();
        return true;
      },
    });
    const input = sampleInput({ repository: `ghcr.io/${uniqueRepository('loops')}` });
    const dir = await layoutWith([input]);
    const r = await run(['publish', '--registry', f.address, '--username', real.username, '--password-stdin', '--format', 'json'], {
      cwd: dir,
      env: { HOME: dir },
      stdin: real.password,
    });
    expect(r.stderr).not.toMatch(/detached|ArrayBuffer/i);
    expect(r.code).toBe(0);
    const packed = packArtifact(input);
    const sizes = w.seen.filter((s) => s.method === 'PUT').map((s) => s.bodyBytes);
    expect(sizes.sort((a, b) => a - b)).toEqual([packed.config.descriptor.size, packed.layer.descriptor.size].sort((a, b) => a - b));
    expect(authorisedAt(w)).toEqual([]);
    expect(JSON.parse(r.stdout).artifacts[0].digest).toBe(packed.manifest.descriptor.digest); // the registry accepted the manifest over those blobs
  });
});
