import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_MARKER, upsertStickyComment, withMarker } from '../../src/automation/index.js';
import { nextPageLink } from '../../src/oci/http.js';
import { FakeGitHub } from './fake-github.js';
import { stageScript } from './staged-script.js';

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
    expect(gh.requests).toEqual([
      'GET /repos/acme/rules/issues/7/comments?per_page=2',
      'GET /repos/acme/rules/issues/7/comments?per_page=2&page=2',
      'POST /repos/acme/rules/issues/7/comments',
    ]);
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

describe('upsertStickyComment against a hostile API', () => {
  const page = (link: string): Response => new Response('[]', { status: 200, headers: { 'content-type': 'application/json', link } });

  it('does not follow a next page on another host, so the token stays with the API', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      return page('<https://collector.example/steal?page=2>; rel="next"');
    }) as typeof globalThis.fetch;
    const result = await upsertStickyComment({
      apiUrl: 'https://api.github.test',
      token: 'secret-token',
      repository: 'acme/rules',
      issueNumber: 7,
      body: 'x',
      fetch,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('the next page is on another host (collector.example); not followed');
    expect(seen.map((s) => new URL(s.url).host)).toEqual(['api.github.test']);
    expect(JSON.stringify(result)).not.toContain('secret-token');
  });

  it('stops when the pages loop back', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return page('<https://api.github.test/repos/acme/rules/issues/7/comments?per_page=100>; rel="next"');
    }) as typeof globalThis.fetch;
    const result = await upsertStickyComment({ apiUrl: 'https://api.github.test', token: 't0ken', repository: 'acme/rules', issueNumber: 7, body: 'x', fetch });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/the comment pages loop/);
    expect(calls).toBe(1);
  });
});

describe('helpers', () => {
  it('nextPageLink follows rel="next" only', () => {
    expect(nextPageLink('<https://a/x?page=2>; rel="next", <https://a/x?page=5>; rel="last"', 'https://a/')).toBe('https://a/x?page=2');
    expect(nextPageLink('<https://a/x?page=1>; rel="prev"', 'https://a/')).toBeNull();
    expect(nextPageLink(null, 'https://a/')).toBeNull();
  });

  it('a body over the comment limit is cut with a note, marker kept', () => {
    const text = withMarker('x'.repeat(70_000), REPORT_MARKER);
    expect(text.length).toBe(65_536);
    expect(text.startsWith(REPORT_MARKER)).toBe(true);
    expect(text.endsWith('the job summary has all of it.\n')).toBe(true);
  });
});

describe('scripts/sticky-comment.mjs, as the PR workflow runs it', () => {
  const TOKEN = 'ghs_notToBePrinted0123456789';
  let staged: { dir: string; script: string };
  beforeAll(() => {
    staged = stageScript('sticky-comment.mjs');
    writeFileSync(
      join(staged.dir, 'event.json'),
      JSON.stringify({ action: 'opened', pull_request: { number: 7, base: { ref: 'main', sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } }),
    );
    writeFileSync(join(staged.dir, 'push.json'), JSON.stringify({ ref: 'refs/heads/main' }));
  });
  afterAll(() => rmSync(staged.dir, { recursive: true, force: true }));

  /** Runs the script in a child process (asynchronously: the fake API answers from this one). */
  const runScript = (report: string, env: Record<string, string> = {}) => {
    writeFileSync(join(staged.dir, 'report.md'), report);
    return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [staged.script, 'report.md'],
        {
          cwd: staged.dir,
          env: {
            PATH: process.env.PATH ?? '',
            GITHUB_API_URL: gh.url,
            GITHUB_REPOSITORY: 'acme/rules',
            GITHUB_EVENT_PATH: join(staged.dir, 'event.json'),
            GITHUB_TOKEN: TOKEN,
            ...env,
          },
        },
        (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      );
    });
  };

  it('creates one comment, then updates that same comment on the next run; never prints the token', async () => {
    gh.seed(['LGTM']);
    const first = await runScript('### falco-gitops ci\n\nrun 1\n');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const id = gh.comments[1]!.id;
    expect(first.stdout).toBe(`created comment ${id} https://github.test/acme/rules/pull/7#issuecomment-${id}\n`);
    expect(gh.comments.map((c) => c.body)).toEqual(['LGTM', `${REPORT_MARKER}\n### falco-gitops ci\n\nrun 1\n`]);
    const second = await runScript('### falco-gitops ci\n\nrun 2\n');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`updated comment ${id} https://github.test/acme/rules/pull/7#issuecomment-${id}\n`);
    expect(gh.comments.map((c) => c.body)).toEqual(['LGTM', `${REPORT_MARKER}\n### falco-gitops ci\n\nrun 2\n`]);
    expect(gh.requests.filter((r) => !r.startsWith('GET '))).toEqual([
      'POST /repos/acme/rules/issues/7/comments',
      `PATCH /repos/acme/rules/issues/comments/${id}`,
    ]);
    expect(gh.authorization.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(TOKEN);
  });

  it('an API error exits 1 naming the request, without the token; a push event writes nothing (exit 0)', async () => {
    gh.seed([]);
    const refused = await runScript('report', { GITHUB_REPOSITORY: 'acme/other' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^cannot write the report comment: GET http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/other\/issues\/7\/comments\?per_page=100: HTTP 404 /,
    );
    expect(refused.stdout + refused.stderr).not.toContain(TOKEN);
    const push = await runScript('report', { GITHUB_EVENT_PATH: join(staged.dir, 'push.json') });
    expect(push).toEqual({ code: 0, stdout: '', stderr: 'not a pull_request event: no comment to write\n' });
    expect(gh.comments).toEqual([]);
  });

  it('without a token it is a usage error (exit 2) and calls nothing', async () => {
    const r = await runScript('report', { GITHUB_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(gh.requests).toEqual([]);
  });
});
