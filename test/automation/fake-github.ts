import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Comment {
  id: number;
  body: string;
}

/** A loopback stand-in for the issue-comments REST API, with Link-header pagination. */
export class FakeGitHub {
  comments: Comment[] = [];
  requests: string[] = [];
  authorization: string[] = [];
  private nextId = 1000;
  server: Server = createServer(
    (req, res) =>
      void this.handle(req).then(([status, body, headers]) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body)),
      ),
  );
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  seed(bodies: string[]): void {
    this.comments = bodies.map((body) => ({ id: this.nextId++, body }));
  }
  private async handle(req: IncomingMessage): Promise<[number, unknown, Record<string, string>]> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const payload = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as { body: string }) : null;
    const url = new URL(req.url!, this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    this.authorization.push(req.headers.authorization ?? '');
    const list = /^\/repos\/acme\/rules\/issues\/7\/comments$/.test(url.pathname);
    if (req.method === 'GET' && list) {
      const per = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = this.comments.slice((page - 1) * per, page * per);
      const more = page * per < this.comments.length;
      return [
        200,
        slice,
        more ? { link: `<${this.url}/repos/acme/rules/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next", <${this.url}/x>; rel="last"` } : {},
      ];
    }
    if (req.method === 'POST' && list) {
      const c = { id: this.nextId++, body: payload!.body };
      this.comments.push(c);
      return [201, { ...c, html_url: `https://github.test/acme/rules/pull/7#issuecomment-${c.id}` }, {}];
    }
    const one = /^\/repos\/acme\/rules\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && one) {
      const c = this.comments.find((x) => x.id === Number(one[1]));
      if (!c) return [404, { message: 'Not Found' }, {}];
      c.body = payload!.body;
      return [200, { ...c, html_url: `https://github.test/acme/rules/pull/7#issuecomment-${c.id}` }, {}];
    }
    return [404, { message: 'Not Found' }, {}];
  }
}
