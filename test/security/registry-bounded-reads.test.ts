/**
 * A registry decides how many bytes it sends. Every body is read up to the size its descriptor
 * states (documents up to a small fixed cap) and no further: an endless body is cut at the cap with
 * a coded error naming the request, and the server sees us stop reading.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { digestOf, serveArtifact, startHostileServer, tarGz, type HostileServer } from './hostile-registry.js';
import { layoutWith } from '../integration/publish-helpers.js';
import { sampleInput } from '../oci/helpers.js';
import { pushRawArtifact, registry as real, uniqueRepository, useFronts, withRegistry } from './real-registry.js';

const GIB = 1024 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

let server: HostileServer;
beforeEach(async () => {
  server = await startHostileServer();
});
afterEach(async () => server.close());

/** Streams chunks (without Content-Length) until the client stops reading or `limit` bytes are out; resolves with the bytes written. */
function flood(res: ServerResponse, limit: number): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < limit && !res.destroyed) {
        sent += CHUNK.length;
        if (!res.write(CHUNK)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
      resolve(sent);
    };
    res.once('close', () => resolve(sent));
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    pump();
  });
}

describe('oversized bodies stop at their cap', () => {
  it('a layer blob far larger than its descriptor', async () => {
    const layer = await tarGz([{ name: 'rules.yaml', body: '- list: a\n  items: []\n' }]);
    serveArtifact(server, '1.0.0', layer);
    let sent: Promise<number> = Promise.resolve(0);
    server.handlers.push((req, res) => {
      if (req.method !== 'GET' || !req.url?.endsWith(digestOf(layer))) return false;
      sent = flood(res, 1.5 * GIB);
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'fg-bounded-'));
    const r = await run(['pull', `${server.address}/acme/rules:1.0.0`, '--out', 'out'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`larger than the ${layer.length} bytes expected`);
    expect(r.stderr).toContain(`GET http://${server.address}/v2/acme/rules/blobs/${digestOf(layer)}`);
    // we stopped reading: the server got no further than socket buffers past the cap
    expect(await sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('a manifest whose HEAD says 400 bytes and whose GET never ends', async () => {
    const layer = await tarGz([{ name: 'rules.yaml', body: 'x' }]);
    serveArtifact(server, '1.0.0', layer);
    let sent: Promise<number> = Promise.resolve(0);
    server.handlers.push((req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/manifests/')) return false;
      sent = flood(res, 1.5 * GIB);
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'fg-bounded-'));
    const r = await run(['pull', `${server.address}/acme/rules:1.0.0`, '--out', 'out', '--format', 'json'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { error: { kind: string; message: string; method: string } };
    expect(json.error.kind).toBe('invalid-content');
    expect(json.error.message).toMatch(/larger than the \d+ bytes expected/);
    expect(json.error.method).toBe('GET');
    expect(await sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('a declared Content-Length over the cap is refused before reading', async () => {
    const layer = await tarGz([{ name: 'rules.yaml', body: 'x' }]);
    serveArtifact(server, '1.0.0', layer);
    server.handlers.push((req, res) => {
      if (req.method !== 'GET' || !req.url?.endsWith(digestOf(layer))) return false;
      res.writeHead(200, { 'content-length': String(GIB) });
      res.write(CHUNK);
      return true;
    });
    const dir = mkdtempSync(join(tmpdir(), 'fg-bounded-'));
    const r = await run(['pull', `${server.address}/acme/rules:1.0.0`, '--out', 'out'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`larger than the ${layer.length} bytes expected`);
  });
});

withRegistry("bounded reads from Debian's docker-registry behind a front that floods one answer", () => {
  const front = useFronts();
  /** Socket buffers on loopback hold a few MB: past this, the client kept reading. */
  const SLACK = 16 * 1024 * 1024;

  it('a 400-byte layer streamed without Content-Length stops at its descriptor size', async () => {
    const repository = uniqueRepository('bounded');
    const pushed = await pushRawArtifact(repository, '1.0.0', new Uint8Array(400).fill(1));
    let sent: Promise<number> | null = null;
    const f = await front(real.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.endsWith(`/blobs/${pushed.layer.digest}`)) return false;
        sent = flood(res, 1.5 * GIB);
        return true;
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'fg-sec-bounded-'));
    const r = await run(['pull', `${f.address}/${repository}:1.0.0`, '--out', out, '--format', 'json'], { cwd: out });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      kind: 'invalid-content',
      method: 'GET',
      url: `http://${f.address}/v2/${repository}/blobs/${pushed.layer.digest}`,
      message: expect.stringContaining('larger than the 400 bytes expected'),
    });
    expect(sent).not.toBeNull();
    expect(await sent!).toBeLessThan(SLACK);
  });

  it('a tags list (no descriptor) read by publish is capped at the fixed document size', async () => {
    let sent: Promise<number> | null = null;
    const f = await front(real.open, {
      intercept: (req, res) => {
        if (req.method !== 'GET' || !req.url?.includes('/tags/list')) return false;
        sent = flood(res, 1.5 * GIB);
        return true;
      },
    });
    const dir = await layoutWith([sampleInput({ repository: `ghcr.io/${uniqueRepository('bounded')}` })]);
    const r = await run(['publish', '--registry', f.address, '--format', 'json'], { cwd: dir, env: { HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`larger than the ${4 * 1024 * 1024} bytes expected`);
    expect(await sent!).toBeLessThan(4 * 1024 * 1024 + SLACK);
  });
});
