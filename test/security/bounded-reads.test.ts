import { mkdtempSync, readdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { layoutWith } from '../integration/publish-helpers.js';
import { sampleInput } from '../oci/helpers.js';
import { pushRawArtifact, registry, STACK_TRACE, startFront, uniqueRepository, withRegistry, type Front } from './hostile.js';

const fronts: Front[] = [];
afterEach(async () => {
  for (const f of fronts.splice(0)) await f.close();
});

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
/** What the hostile server is ready to send: far past any cap, so stopping early is the client's doing. */
const OFFERED = 1024 * 1024 * 1024;

interface Flood {
  /** Bytes the server managed to hand to the socket before the client hung up. */
  sent: number;
  done: Promise<void>;
}

/** Streams up to OFFERED bytes with backpressure (no Content-Length), until the client closes the connection. */
function flood(res: ServerResponse, headers: Record<string, string>): Flood {
  const state: Flood = { sent: 0, done: Promise.resolve() };
  res.writeHead(200, headers);
  state.done = new Promise<void>((resolve) => {
    res.on('close', () => resolve());
    const pump = (): void => {
      while (state.sent < OFFERED && !res.destroyed) {
        state.sent += CHUNK.byteLength;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  return state;
}

/** Loopback socket buffers hold a few MB at most: anything past this means the client kept reading. */
const SLACK = 16 * 1024 * 1024;

withRegistry('every response body is read to its cap and no further', () => {
  it('a layer blob streamed far past its descriptor size stops at the cap with a coded error', async () => {
    const repository = uniqueRepository('bounded');
    const pushed = await pushRawArtifact(repository, '1.0.0', new Uint8Array(400).fill(1));
    let flooded: Flood | null = null;
    const f = await startFront(registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.endsWith(`/blobs/${pushed.layer.digest}`)) return false;
        flooded = flood(res, { 'content-type': 'application/octet-stream' });
        return true;
      },
    });
    fronts.push(f);
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-bounded-'));
    const r = await run(['pull', `${f.address}/${repository}:1.0.0`, '--out', out, '--format', 'json'], { cwd: out });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { error: { kind: string; method: string; url: string; message: string } };
    expect(json.error.kind).toBe('response-too-large');
    expect(json.error.method).toBe('GET');
    expect(json.error.url).toBe(`http://${f.address}/v2/${repository}/blobs/${pushed.layer.digest}`);
    expect(json.error.message).toContain('larger than the 400 bytes expected');
    expect(flooded).not.toBeNull();
    await flooded!.done;
    expect(flooded!.sent).toBeLessThan(SLACK);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a manifest whose body outgrows the size the registry announced is cut off the same way', async () => {
    const repository = uniqueRepository('bounded');
    const pushed = await pushRawArtifact(repository, '1.0.0', new Uint8Array(10));
    let flooded: Flood | null = null;
    const f = await startFront(registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.endsWith(`/manifests/${pushed.manifest.digest}`)) return false;
        flooded = flood(res, { 'content-type': pushed.manifest.mediaType });
        return true;
      },
    });
    fronts.push(f);
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-bounded-'));
    const r = await run(['pull', `${f.address}/${repository}:1.0.0`, '--out', out], { cwd: out });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`GET http://${f.address}/v2/${repository}/manifests/${pushed.manifest.digest} -> 200: the response body is larger than the ${pushed.manifest.size} bytes expected; stopped reading`);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    await flooded!.done;
    expect(flooded!.sent).toBeLessThan(SLACK);
  });

  it('a Content-Length past the cap is refused before reading the body', async () => {
    const repository = uniqueRepository('bounded');
    const pushed = await pushRawArtifact(repository, '1.0.0', new Uint8Array(50));
    let flooded: Flood | null = null;
    const f = await startFront(registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.endsWith(`/blobs/${pushed.layer.digest}`)) return false;
        flooded = flood(res, { 'content-type': 'application/octet-stream', 'content-length': String(OFFERED) });
        return true;
      },
    });
    fronts.push(f);
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-bounded-'));
    const r = await run(['pull', `${f.address}/${repository}:1.0.0`, '--out', out, '--format', 'json'], { cwd: out });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'response-too-large', status: 200 });
    await flooded!.done;
    expect(flooded!.sent).toBeLessThan(SLACK);
  });

  it('a tags list (no descriptor) is capped at a small fixed size during publish', async () => {
    let flooded: Flood | null = null;
    const f = await startFront(registry.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.includes('/tags/list')) return false;
        flooded = flood(res, { 'content-type': 'application/json' });
        return true;
      },
    });
    fronts.push(f);
    const dir = await layoutWith([sampleInput({ repository: `ghcr.io/${uniqueRepository('bounded')}` })]);
    const r = await run(['publish', '--registry', f.address, '--format', 'json'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"kind": "response-too-large"');
    expect(r.stdout).toContain('larger than the 4194304 bytes expected');
    await flooded!.done;
    expect(flooded!.sent).toBeLessThan(4 * 1024 * 1024 + SLACK);
  });
});
