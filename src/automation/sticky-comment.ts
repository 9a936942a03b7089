/**
 * One report comment per pull request: find our comment by its marker (through every page of
 * comments) and update it, or create it, through the REST API (`apiUrl` is a loopback server in tests).
 */
import { DEFAULT_RETRY, HttpClient, nextPageLink, type HttpResponse } from '../oci/http.js';
import { OciError } from '../oci/errors.js';
import { SecretSet } from '../oci/redact.js';

export const REPORT_MARKER = '<!-- falco-gitops-report -->';

export interface StickyCommentOptions {
  /** e.g. https://api.github.com (GITHUB_API_URL). */
  apiUrl: string;
  token: string;
  /** "owner/name". */
  repository: string;
  issueNumber: number;
  body: string;
  marker?: string;
  fetch?: typeof fetch;
  /** Comments per page (the API allows up to 100). */
  perPage?: number;
  userAgent?: string;
}

export type StickyCommentResult = { ok: true; action: 'created' | 'updated'; id: number; url: string } | { ok: false; message: string };

/** GitHub caps a comment body at 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;

export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const marker = options.marker ?? REPORT_MARKER;
  const base = options.apiUrl.replace(/\/+$/, '');
  const secrets = new SecretSet();
  secrets.add(options.token);
  // The registry client's HTTP layer: bounded bodies, timeouts, retries, and no token across origins.
  const http = new HttpClient({
    userAgent: options.userAgent ?? 'falco-gitops',
    timeoutMs: 30_000,
    retry: DEFAULT_RETRY,
    secrets,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    'x-github-api-version': '2022-11-28',
  };
  const body = withMarker(options.body, marker);
  const request = async (
    method: 'GET' | 'PATCH' | 'POST',
    url: string,
    payload?: unknown,
  ): Promise<{ ok: true; json: unknown; link: string | null } | Failure> => {
    const where = `${method} ${secrets.redact(url)}`;
    let res: HttpResponse;
    try {
      res = await http.send({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { body: Buffer.from(JSON.stringify(payload)) }),
        retryable: method === 'GET',
      });
    } catch (err) {
      return { ok: false, message: err instanceof OciError && err.url ? secrets.redact(err.message) : `${where}: ${secrets.redact(String(err))}` };
    }
    const text = Buffer.from(res.body).toString('utf8');
    if (res.status < 200 || res.status > 299) return { ok: false, message: `${where}: HTTP ${res.status} ${secrets.redact(text.slice(0, 200))}` };
    try {
      return { ok: true, json: text === '' ? null : JSON.parse(text), link: res.headers.get('link') };
    } catch (err) {
      return { ok: false, message: `${where}: response is not JSON (${(err as Error).message})` };
    }
  };
  const seen = new Set<string>();
  let url: string | null = `${base}/repos/${options.repository}/issues/${options.issueNumber}/comments?per_page=${options.perPage ?? 100}`;
  while (url !== null) {
    if (seen.has(url) || seen.size >= MAX_COMMENT_PAGES)
      return { ok: false, message: `GET ${secrets.redact(url)}: the comment pages loop or exceed ${MAX_COMMENT_PAGES}` };
    seen.add(url);
    const page = await request('GET', url);
    if (!page.ok) return page;
    if (!Array.isArray(page.json)) return { ok: false, message: `GET ${secrets.redact(url)}: expected a list of comments` };
    const ours = (page.json as unknown[]).find(isOurs(marker));
    if (ours !== undefined) {
      const updated = await request('PATCH', `${base}/repos/${options.repository}/issues/comments/${ours.id}`, { body });
      if (!updated.ok) return updated;
      return { ok: true, action: 'updated', id: ours.id, url: urlOf(updated.json) };
    }
    const next = nextPageLink(page.link, url);
    // The token goes only where the API lives: a next page on another origin is not followed.
    if (next !== null && new URL(next).origin !== new URL(base).origin)
      return { ok: false, message: `GET ${secrets.redact(url)}: the next page is on another host (${new URL(next).host}); not followed` };
    url = next;
  }
  const created = await request('POST', `${base}/repos/${options.repository}/issues/${options.issueNumber}/comments`, { body });
  if (!created.ok) return created;
  return { ok: true, action: 'created', id: Number((created.json as { id?: unknown } | null)?.id ?? 0), url: urlOf(created.json) };
}

type Failure = { ok: false; message: string };

/** A bound on comment pages read (100 per page): a PR with 50,000 comments is not a real case. */
const MAX_COMMENT_PAGES = 500;

function isOurs(marker: string): (c: unknown) => c is { id: number; body: string } {
  return (c: unknown): c is { id: number; body: string } =>
    typeof c === 'object' &&
    c !== null &&
    typeof (c as { body?: unknown }).body === 'string' &&
    (c as { body: string }).body.includes(marker) &&
    typeof (c as { id?: unknown }).id === 'number';
}

/** The marker first (invisible in the rendered comment), the body cut to GitHub's limit. */
export function withMarker(body: string, marker: string): string {
  const text = `${marker}\n${body}`;
  if (text.length <= MAX_COMMENT_CHARS) return text;
  const note = '\n\n> Report cut to fit a comment; the job summary has all of it.\n';
  return text.slice(0, MAX_COMMENT_CHARS - note.length) + note;
}

function urlOf(json: unknown): string {
  const u = typeof json === 'object' && json !== null ? (json as { html_url?: unknown }).html_url : undefined;
  return typeof u === 'string' ? u : '';
}
