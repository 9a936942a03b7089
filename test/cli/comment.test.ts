import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/automation/index.js';
import { runCli } from '../../src/cli/main.js';
import { FakeGitHub } from '../automation/fake-github.js';
import { captureIO } from '../environment/temp-repo.js';

const TOKEN = 'ghs_notToBePrinted0123456789';
const gh = new FakeGitHub();
let dir: string;

beforeAll(async () => {
  await new Promise<void>((r) => gh.server.listen(0, '127.0.0.1', () => r()));
  dir = mkdtempSync(join(tmpdir(), 'falco-gitops-comment-'));
  writeFileSync(
    join(dir, 'event.json'),
    JSON.stringify({ action: 'synchronize', pull_request: { number: 7, base: { ref: 'main', sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } }),
  );
  writeFileSync(join(dir, 'push.json'), JSON.stringify({ ref: 'refs/heads/main' }));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((r) => gh.server.close(() => r()));
});
beforeEach(() => {
  gh.requests = [];
  gh.authorization = [];
});

/** The environment a GitHub Actions step of the PR workflow has, pointed at the fake API. */
async function comment(report: string, env: Record<string, string> = {}, args: string[] = []) {
  writeFileSync(join(dir, 'report.md'), report);
  const io = captureIO(dir);
  io.env = {
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: 'acme/rules',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_TOKEN: TOKEN,
    ...env,
  };
  const code = await runCli(['comment', '--file', 'report.md', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('falco-gitops comment', () => {
  it('creates the comment, then updates that same one on the next run; never prints the token', async () => {
    gh.seed(['LGTM']);
    const first = await comment('### falco-gitops ci\n\nrun 1\n');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const id = gh.comments[1]!.id;
    expect(first.out).toBe(`created comment ${id} https://github.test/acme/rules/pull/7#issuecomment-${id}\n`);
    const second = await comment('### falco-gitops ci\n\nrun 2\n', {}, ['--format', 'json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out)).toEqual({ schemaVersion: 1, action: 'updated', id, url: `https://github.test/acme/rules/pull/7#issuecomment-${id}` });
    expect(gh.comments.map((c) => c.body)).toEqual(['LGTM', `${REPORT_MARKER}\n### falco-gitops ci\n\nrun 2\n`]);
    expect(gh.requests.filter((r) => !r.startsWith('GET '))).toEqual([
      'POST /repos/acme/rules/issues/7/comments',
      `PATCH /repos/acme/rules/issues/comments/${id}`,
    ]);
    expect(gh.authorization.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
    expect(first.out + first.err + second.out + second.err).not.toContain(TOKEN);
  });

  it('an API failure exits 1 naming the request, without the token', async () => {
    gh.seed([]);
    const refused = await comment('report', { GITHUB_REPOSITORY: 'acme/other' });
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(
      /^cannot write the report comment: GET http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/other\/issues\/7\/comments\?per_page=100: HTTP 404 /,
    );
    expect(refused.err).not.toContain(TOKEN);
    const unreachable = await comment('report', { GITHUB_API_URL: 'http://127.0.0.1:1' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/^cannot write the report comment: GET http:\/\/127\.0\.0\.1:1\/repos\/acme\/rules\/issues\/7\/comments\?per_page=100: /);
    expect(gh.comments).toEqual([]);
  });

  it('an error body that echoes the request back still never shows the token', async () => {
    const echo = createServer((req, res) =>
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`bad request, authorization: ${req.headers.authorization}`),
    );
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const r = await comment('report', { GITHUB_API_URL: `http://127.0.0.1:${(echo.address() as AddressInfo).port}` });
    await new Promise<void>((done) => echo.close(() => done()));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/: HTTP 500 bad request, authorization: Bearer \*\*\*\n$/);
    expect(r.err).not.toContain(TOKEN);
  });

  it('on a push event it writes nothing and exits 0', async () => {
    gh.seed([]);
    const push = await comment('report', { GITHUB_EVENT_PATH: join(dir, 'push.json') });
    expect(push).toEqual({ code: 0, out: '', err: 'not a pull_request event: no comment to write\n' });
    const json = await comment('report', { GITHUB_EVENT_PATH: join(dir, 'push.json') }, ['--format', 'json']);
    expect(JSON.parse(json.out)).toEqual({ schemaVersion: 1, action: 'skipped', reason: 'not a pull_request event' });
    expect(gh.requests).toEqual([]);
  });

  it.each([
    ['no token', { GITHUB_TOKEN: '' }, 'error: GITHUB_TOKEN is not set: give the step `env: GITHUB_TOKEN: ${{ github.token }}`\n'],
    ['no repository', { GITHUB_REPOSITORY: '' }, 'error: GITHUB_REPOSITORY is not set (owner/name)\n'],
    ['no event', { GITHUB_EVENT_PATH: '' }, 'error: GITHUB_EVENT_PATH is not set: run it in a GitHub Actions step\n'],
  ])('%s is a usage error (exit 2) and calls nothing', async (_, env, message) => {
    const r = await comment('report', env);
    expect(r).toEqual({ code: 2, out: '', err: message });
    expect(gh.requests).toEqual([]);
  });

  it('a missing report file or a malformed event is an input error (exit 2) naming the file', async () => {
    const io = captureIO(dir);
    io.env = { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'acme/rules', GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_TOKEN: TOKEN };
    expect(await runCli(['comment', '--file', 'missing.md'], io)).toBe(2);
    expect(io.err()).toMatch(/^error: cannot read missing\.md: ENOENT/);
    writeFileSync(join(dir, 'broken.json'), '{ "pull_request": ');
    const broken = await comment('report', { GITHUB_EVENT_PATH: join(dir, 'broken.json') });
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(`the event payload ${join(dir, 'broken.json')} is not JSON`);
    expect(gh.requests).toEqual([]);
  });

  it('--file is required', async () => {
    const io = captureIO(dir);
    expect(await runCli(['comment'], io)).toBe(2);
    expect(io.err()).toContain("required option '--file <file>' not specified");
  });
});
