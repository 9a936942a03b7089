import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { layoutWith } from '../integration/publish-helpers.js';
import { sampleInput } from '../oci/helpers.js';
import { packArtifact } from '../../src/oci/index.js';
import { MAX_REDIRECTS } from '../../src/oci/http.js';
import { authorised, basicAuth, pushRawArtifact, registry, STACK_TRACE, startFront, uniqueRepository, withRegistry, type Front } from './hostile.js';

const fronts: Front[] = [];
afterEach(async () => {
  for (const f of fronts.splice(0)) await f.close();
});

async function front(...args: Parameters<typeof startFront>): Promise<Front> {
  const f = await startFront(...args);
  fronts.push(f);
  return f;
}

/** A tags list page of `front` whose Link names the page `next` (a `last=` marker). */
function tagsPage(answerNext: (last: string | null) => string) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, self: string): boolean => {
    const url = new URL(req.url ?? '/', `http://${self}`);
    if (req.method !== 'GET' || !url.pathname.endsWith('/tags/list')) return false;
    res.writeHead(200, { 'content-type': 'application/json', link: `<${url.pathname}?n=1000&last=${answerNext(url.searchParams.get('last'))}>; rel="next"` });
    res.end(JSON.stringify({ name: 'x', tags: [] }));
    return true;
  };
}

async function publishThrough(address: string, extra: string[] = [], stdin?: string) {
  const input = sampleInput({ repository: `ghcr.io/${uniqueRepository('loops')}` });
  const dir = await layoutWith([input]);
  const r = await run(['publish', '--registry', address, '--format', 'json', ...extra], { cwd: dir, env: { HOME: dir }, ...(stdin === undefined ? {} : { stdin }) });
  return { r, input };
}

const tagRequests = (f: Front) => f.seen.filter((s) => s.url.includes('/tags/list'));

withRegistry('pagination loops and redirects are bounded', () => {
  it('a tags list whose Link points back at itself is stopped after one page', async () => {
    const f = await front(registry.open, { intercept: tagsPage(() => 'same') });
    const { r } = await publishThrough(f.address);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"kind": "redirect-loop"');
    expect(r.stdout).toContain('the tags list links back to a page already read');
    expect(r.stdout).not.toMatch(STACK_TRACE);
    expect(tagRequests(f).map((s) => s.url.replace(/^.*\?/, '?'))).toEqual(['?n=1000', '?n=1000&last=same']);
  });

  it('a Link cycle between two pages is stopped when it comes round', async () => {
    const f = await front(registry.open, { intercept: tagsPage((last) => (last === 'a' ? 'b' : 'a')) });
    const { r } = await publishThrough(f.address);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the tags list links back to a page already read');
    expect(tagRequests(f)).toHaveLength(3); // first, a, b; b links to a again
  });

  it(`a redirect loop is stopped after ${MAX_REDIRECTS} redirects with a coded error naming the request`, async () => {
    const repository = uniqueRepository('loops');
    const pushed = await pushRawArtifact(repository, '1.0.0', new Uint8Array(10));
    const f = await front(registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.includes('/manifests/')) return false;
        res.writeHead(302, { location: req.url });
        res.end();
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-loops-'));
    const r = await run(['pull', `${f.address}/${repository}:1.0.0`, '--out', out, '--format', 'json'], { cwd: out });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'redirect-loop', method: 'GET', url: `http://${f.address}/v2/${repository}/manifests/${pushed.manifest.digest}`, status: 302 });
    expect(f.seen.filter((s) => s.method === 'GET' && s.url.includes('/manifests/'))).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('a 307 on the blob upload PUT replays the body to the new host, without credentials', async () => {
    const witness = await front(registry.basic, { upstreamAuthorization: basicAuth(registry.username, registry.password) });
    const f = await front(registry.basic, {
      intercept: (req, res) => {
        if (req.method !== 'PUT' || !req.url?.includes('/blobs/uploads/')) return false;
        res.writeHead(307, { location: `http://${witness.address}${req.url}` });
        res.end();
        return true;
      },
    });
    const { r, input } = await publishThrough(f.address, ['--username', registry.username, '--password-stdin'], registry.password);
    expect(r.stdout).not.toContain('detached');
    expect(r.code).toBe(0);
    const packed = packArtifact(input);
    const puts = witness.seen.filter((s) => s.method === 'PUT');
    expect(puts.map((s) => s.bodyBytes).sort((a, b) => a - b)).toEqual([packed.config.descriptor.size, packed.layer.descriptor.size].sort((a, b) => a - b));
    expect(authorised(witness)).toEqual([]);
    // the registry holds the bytes the witness passed on: the manifest referencing them was accepted
    expect(JSON.parse(r.stdout).artifacts[0].digest).toBe(packed.manifest.descriptor.digest);
  });
});
