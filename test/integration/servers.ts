import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface TestServer {
  address: string;
  close: () => Promise<void>;
}

/** A fault a proxy injects into the next request that matches. */
export type Fault = { kind: 'status'; status: number; retryAfter?: string } | { kind: 'reset-mid-upload' } | { kind: 'slow'; delayMs: number };

export interface FaultRule {
  method: string;
  /** Matched against the request path. */
  path: RegExp;
  fault: Fault;
  /** How many matching requests get the fault. */
  times: number;
}

export interface FaultProxy extends TestServer {
  /** Requests seen, "METHOD /path". */
  log: string[];
  /** Requests forwarded to the registry, with their query and the registry's status. */
  forwarded: { method: string; url: string; status: number }[];
  /** Every request, "METHOD /path", with when it arrived and when its response ended (ms, performance.now()). */
  timeline: { request: string; start: number; end: number }[];
  rules: FaultRule[];
}

/** The most requests of `timeline` matching `pattern` that were in flight at the same moment. */
export function peakInFlight(timeline: FaultProxy['timeline'], pattern: RegExp): number {
  const edges = timeline
    .filter((t) => pattern.test(t.request))
    .flatMap((t) => [
      { at: t.start, delta: 1 },
      { at: t.end, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let peak = 0;
  for (const e of edges) {
    now += e.delta;
    peak = Math.max(peak, now);
  }
  return peak;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function forward(
  upstream: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  headers: Record<string, string | string[] | undefined>,
  onStatus?: (status: number) => void,
): void {
  const [host, port] = upstream.split(':');
  const out = httpRequest({ host, port: Number(port), method: req.method, path: req.url, headers: { ...headers, host: upstream } }, (up) => {
    onStatus?.(up.statusCode ?? 502);
    const h = { ...up.headers };
    if (typeof h.location === 'string') h.location = h.location.replace(`http://${upstream}`, '');
    res.writeHead(up.statusCode ?? 502, h);
    up.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A loopback proxy in front of a real registry that injects the faults a real registry will not produce. */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const log: string[] = [];
  const forwarded: FaultProxy['forwarded'] = [];
  const rules: FaultRule[] = [];
  const timeline: FaultProxy['timeline'] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    log.push(`${req.method} ${path}`);
    const entry = { request: `${req.method} ${path}`, start: performance.now(), end: Number.POSITIVE_INFINITY };
    timeline.push(entry);
    res.on('close', () => (entry.end = performance.now()));
    const rule = rules.find((r) => r.times > 0 && r.method === req.method && r.path.test(path));
    if (rule) rule.times--;
    const fault = rule?.fault;
    if (fault?.kind === 'reset-mid-upload') {
      req.once('data', () => req.socket.destroy());
      req.resume();
      return;
    }
    void readBody(req).then((body) => {
      if (fault?.kind === 'status') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected fault' }] }));
        return;
      }
      const go = () => forward(upstream, req, res, body, req.headers, (status) => forwarded.push({ method: req.method ?? '', url: req.url ?? '', status }));
      if (fault?.kind === 'slow') setTimeout(go, fault.delayMs);
      else go();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const address = await listen(server);
  return { address, log, forwarded, timeline, rules, close: closer(server, sockets) };
}

export interface TokenProxy extends TestServer {
  /** Tokens issued, so tests can look for them in output. */
  issued: string[];
  /** Scopes asked for, one entry per token request. */
  scopes: string[][];
}

/**
 * A registry front that demands Bearer tokens (the Docker token flow): 401 with a challenge naming
 * our token endpoint, which checks Basic credentials and issues an opaque token bound to scopes.
 */
export async function startTokenProxy(upstream: string, username: string, password: string, refreshToken?: string): Promise<TokenProxy> {
  const sockets = new Set<Socket>();
  const issued: string[] = [];
  const scopes: string[][] = [];
  const grants = new Map<string, string[]>();
  let address = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${address}`);
    if (url.pathname === '/token' && req.method === 'POST') {
      // the OAuth2 refresh-token grant Docker clients use for identity tokens
      void readBody(req).then((body) => {
        const form = new URLSearchParams(body.toString('utf8'));
        if (!refreshToken || form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refreshToken) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad refresh token' }] }));
          return;
        }
        const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
        scopes.push(asked);
        const token = randomBytes(24).toString('hex');
        issued.push(token);
        grants.set(token, asked);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, expires_in: 300 }));
      });
      return;
    }
    if (url.pathname === '/token') {
      const auth = req.headers.authorization ?? '';
      const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      if (auth !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
        return;
      }
      const asked = url.searchParams.getAll('scope');
      scopes.push(asked);
      const token = randomBytes(24).toString('hex');
      issued.push(token);
      grants.set(token, asked);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    const m = /^\/v2\/(.+?)\/(blobs|manifests|tags)\//.exec(url.pathname);
    const repo = m?.[1];
    const need = repo ? `repository:${repo}:${req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push'}` : '';
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const granted = grants.get(token);
    const ok = granted !== undefined && (need === '' || granted.some((s) => s === need || (need.endsWith(':pull') && s === `${need},push`)));
    if (!ok) {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${address}/token",service="test-registry"${need ? `,scope="${need}"` : ''}`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    void readBody(req).then((body) => forward(upstream, req, res, body, headers));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  address = await listen(server);
  return { address, issued, scopes, close: closer(server, sockets) };
}
