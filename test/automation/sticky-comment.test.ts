import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextPage, REPORT_MARKER, upsertStickyComment, withMarker } from '../../src/automation/index.js';

interface Comment {
  id: number;
  body: string;
}

/** A loopback stand-in for the issue-comments REST API, with Link-header pagination. */
class FakeGitHub {
  comments: Comment[] = [];
  requests: string[] = [];
  authorization: string[] = [];
  private nextId = 1000;
  server: Server = createServer((req, res) => void this.handle(req).then(([status, body, headers]) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))));
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
      return [200, slice, more ? { link: `<${this.url}/repos/acme/rules/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next", <${this.url}/x>; rel="last"` } : {}];
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

const gh = new FakeGitHub();
beforeAll(() => new Promise<void>((r) => gh.server.listen(0, '127.0.0.1', () => r())));
afterAll(() => new Promise<void>((r) => gh.server.close(() => r())));
beforeEach(() => {
  gh.requests = [];
  gh.authorization = [];
});

const upsert = (body: string) => upsertStickyComment({ apiUrl: gh.url, token: 'secret-token', repository: 'acme/rules', issueNumber: 7, body, perPage: 2 });

describe('upsertStickyComment', () => {
  it('creates the comment when none carries the marker, reading every page first', async () => {
    gh.seed(['LGTM', 'nice', `quoted: ${'<!-- other-bot -->'}`]);
    const result = await upsert('report v1');
    expect(result).toMatchObject({ ok: true, action: 'created' });
    expect(gh.requests).toEqual(['GET /repos/acme/rules/issues/7/comments?per_page=2', 'GET /repos/acme/rules/issues/7/comments?per_page=2&page=2', 'POST /repos/acme/rules/issues/7/comments']);
    expect(gh.comments.map((c) => c.body)).toEqual(['LGTM', 'nice', '<!-- other-bot -->'.replace(/^/, 'quoted: '), `${REPORT_MARKER}\nreport v1`]);
    expect(gh.authorization.every((a) => a === 'Bearer secret-token')).toBe(true);
  });

  it('updates its own comment on a later page and never adds a second copy', async () => {
    gh.seed(['a', 'b', 'c', `${REPORT_MARKER}\nreport v1`, 'e']);
    const ours = gh.comments[3]!.id;
    const result = await upsert('report v2');
    expect(result).toEqual({ ok: true, action: 'updated', id: ours, url: `https://github.test/acme/rules/pull/7#issuecomment-${ours}` });
    expect(gh.requests.at(-1)).toBe(`PATCH /repos/acme/rules/issues/comments/${ours}`);
    expect(gh.comments).toHaveLength(5);
    expect(gh.comments[3]!.body).toBe(`${REPORT_MARKER}\nreport v2`);
    await upsert('report v3');
    expect(gh.comments.filter((c) => c.body.includes(REPORT_MARKER))).toHaveLength(1);
  });

  it('an API error is a value naming the request, without the token', async () => {
    const result = await upsertStickyComment({ apiUrl: gh.url, token: 'secret-token', repository: 'acme/other', issueNumber: 7, body: 'x' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/other\/issues\/7\/comments\?per_page=100: HTTP 404/);
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });
});

describe('helpers', () => {
  it('nextPage follows rel="next" only', () => {
    expect(nextPage('<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last"')).toBe('https://a/x?page=2');
    expect(nextPage('<https://a/x?page=1>; rel="prev"')).toBeNull();
    expect(nextPage(null)).toBeNull();
  });

  it('a body over the comment limit is cut with a note, marker kept', () => {
    const text = withMarker('x'.repeat(70_000), REPORT_MARKER);
    expect(text.length).toBe(65_536);
    expect(text.startsWith(REPORT_MARKER)).toBe(true);
    expect(text.endsWith('the job summary has all of it.\n')).toBe(true);
  });
});
