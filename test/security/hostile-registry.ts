/**
 * A loopback registry that misbehaves on purpose, for the security tests: it serves whatever
 * manifests and blobs a test gives it, and each route can be replaced by a test's own handler.
 * Every request it receives is recorded with its Authorization header.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { MEDIA_TYPE_MANIFEST, MEDIA_TYPE_RULESFILE_CONFIG, MEDIA_TYPE_RULESFILE_LAYER } from '../../src/oci/media-types.js';

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Buffer;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean | Promise<boolean>;

export interface HostileServer {
  /** "127.0.0.1:PORT". */
  address: string;
  seen: SeenRequest[];
  /** Handlers tried in order before the default routes; one that returns true has answered. */
  handlers: Handler[];
  blobs: Map<string, Buffer>;
  /** tag → manifest bytes. */
  manifests: Map<string, Buffer>;
  close(): Promise<void>;
}

export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export async function startHostileServer(): Promise<HostileServer> {
  const seen: SeenRequest[] = [];
  const handlers: Handler[] = [];
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      void answer(req, res, body);
    });
  });
  async function answer(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    for (const h of handlers) if (await h(req, res, body)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/v2/') return void res.writeHead(200).end('{}');
    const manifest = /^\/v2\/.+\/manifests\/([^/]+)$/.exec(path);
    if (manifest) {
      const ref = manifest[1]!;
      const bytes = manifests.get(ref) ?? [...manifests.values()].find((m) => digestOf(m) === ref);
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': MEDIA_TYPE_MANIFEST, 'docker-content-digest': digestOf(bytes), 'content-length': String(bytes.length) });
      return void res.end(req.method === 'HEAD' ? undefined : bytes);
    }
    const blob = /^\/v2\/.+\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (blob && blobs.has(blob[1]!)) {
      const bytes = blobs.get(blob[1]!)!;
      res.writeHead(200, { 'content-length': String(bytes.length) });
      return void res.end(req.method === 'HEAD' ? undefined : bytes);
    }
    res.writeHead(404).end();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    seen,
    handlers,
    blobs,
    manifests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A gzip'd tar of the given entries, as they are named: the layer a hostile artifact would carry. */
export async function tarGz(entries: { name: string; body: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, size: Buffer.byteLength(e.body) }, e.body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** Serves a rulesfile artifact with this layer under `tag`; returns the manifest's digest. */
export function serveArtifact(server: HostileServer, tag: string, layer: Buffer): string {
  const config = Buffer.from(JSON.stringify({ name: 'rules', version: '1.0.0', requirements: [], dependencies: [] }));
  server.blobs.set(digestOf(config), config);
  server.blobs.set(digestOf(layer), layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_MANIFEST,
      config: { mediaType: MEDIA_TYPE_RULESFILE_CONFIG, digest: digestOf(config), size: config.length },
      layers: [
        { mediaType: MEDIA_TYPE_RULESFILE_LAYER, digest: digestOf(layer), size: layer.length, annotations: { 'org.opencontainers.image.title': 'rules.yaml' } },
      ],
    }),
  );
  server.manifests.set(tag, manifest);
  return digestOf(manifest);
}

/** The requests that carried any Authorization header. */
export function authorised(server: HostileServer): SeenRequest[] {
  return server.seen.filter((r) => r.authorization !== undefined);
}
