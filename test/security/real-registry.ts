import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, inject } from 'vitest';
import { openRegistryStore, SecretSet, DEFAULT_RETRY, type Descriptor } from '../../src/oci/index.js';
import { MEDIA_TYPE_MANIFEST, MEDIA_TYPE_RULESFILE_CONFIG, MEDIA_TYPE_RULESFILE_LAYER } from '../../src/oci/media-types.js';
import { sha256Digest } from '../../src/oci/digest.js';

export const registry = inject('registry');
/** `describe` when the test registry runs, else `describe.skip` (setup fails instead when CI=true). */
export const withRegistry = registry.available ? describe : describe.skip;

export interface Seen {
  method: string;
  /** Path and query. */
  url: string;
  authorization: string | undefined;
  bodyBytes: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Hooks {
  /** Answers the request itself (return true), before anything is forwarded. */
  intercept?: (req: IncomingMessage, res: ServerResponse, self: string) => boolean;
  /** Changes what the registry answered before it goes back to the client. */
  rewrite?: (req: IncomingMessage, answer: UpstreamResponse, self: string) => void;
  /** Sent upstream as Authorization (a witness forwarding on the client's behalf). */
  upstreamAuthorization?: string;
}

/**
 * A loopback server of ours in front of Debian's docker-registry that misbehaves on purpose (the
 * registry does the real work, our server bends one answer), and records every request it gets
 * with its Authorization header.
 */
export interface Front {
  address: string;
  seen: Seen[];
  close: () => Promise<void>;
}

export async function startFront(upstream: string, hooks: Hooks = {}): Promise<Front> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let address = '';
  const server = createServer((req, res) => {
    const entry: Seen = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, bodyBytes: 0 };
    seen.push(entry);
    if (hooks.intercept?.(req, res, address)) {
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      entry.bodyBytes = body.byteLength;
      const headers = { ...req.headers, host: upstream };
      delete headers.authorization;
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      if (hooks.upstreamAuthorization) headers.authorization = hooks.upstreamAuthorization;
      const [host, port] = upstream.split(':');
      const out = httpRequest({ host, port: Number(port), method: req.method, path: req.url, headers }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          const answer: UpstreamResponse = { status: up.statusCode ?? 502, headers: { ...up.headers }, body: Buffer.concat(parts) };
          // the registry names itself in Location; the client only knows us
          if (typeof answer.headers.location === 'string') answer.headers.location = answer.headers.location.replace(`http://${upstream}`, '');
          hooks.rewrite?.(req, answer, address);
          if (req.method !== 'HEAD') {
            answer.headers['content-length'] = String(answer.body.byteLength);
            delete answer.headers['transfer-encoding'];
          }
          res.writeHead(answer.status, answer.headers);
          res.end(req.method === 'HEAD' ? undefined : answer.body);
        });
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Inside a describe block: starts fronts, each closed after its test. */
export function useFronts(): (...args: Parameters<typeof startFront>) => Promise<Front> {
  const fronts: Front[] = [];
  afterEach(async () => {
    for (const f of fronts.splice(0)) await f.close();
  });
  return async (...args) => {
    const f = await startFront(...args);
    fronts.push(f);
    return f;
  };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Requests that carried any Authorization header. */
export function authorisedAt(front: Front): Seen[] {
  return front.seen.filter((s) => s.authorization !== undefined);
}

export interface PushedArtifact {
  manifest: Descriptor;
  config: Descriptor;
  layer: Descriptor;
}

/** Pushes a rulesfile artifact with exactly this layer (possibly hostile) to the open registry, as `repository:tag`. */
export async function pushRawArtifact(repository: string, tag: string, layerBytes: Uint8Array): Promise<PushedArtifact> {
  const store = openRegistryStore({ registry: registry.open, repository }, null, {
    userAgent: 'test',
    timeoutMs: 10_000,
    retry: DEFAULT_RETRY,
    secrets: new SecretSet(),
  });
  const configBytes = Buffer.from(JSON.stringify({ name: 'hostile', version: '1.0.0' }));
  const config: Descriptor = { mediaType: MEDIA_TYPE_RULESFILE_CONFIG, digest: sha256Digest(configBytes), size: configBytes.byteLength };
  const layer: Descriptor = { mediaType: MEDIA_TYPE_RULESFILE_LAYER, digest: sha256Digest(layerBytes), size: layerBytes.byteLength };
  const manifestBytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_MANIFEST, artifactType: MEDIA_TYPE_RULESFILE_CONFIG, config, layers: [layer] }),
  );
  const manifest: Descriptor = { mediaType: MEDIA_TYPE_MANIFEST, digest: sha256Digest(manifestBytes), size: manifestBytes.byteLength };
  await store.push(config, configBytes);
  await store.push(layer, layerBytes);
  await store.push(manifest, manifestBytes);
  await store.tag(manifest, tag);
  return { manifest, config, layer };
}

let counter = 0;
export function uniqueRepository(kind: string): string {
  counter++;
  return `security/${kind}-${process.pid}-${counter}`;
}

/** A line of a JavaScript stack trace. */
export const STACK_TRACE = /\n\s+at .+\(|\n\s+at .+:\d+:\d+/;
