/**
 * One report comment per pull request: find our comment by its marker (through every page of
 * comments) and update it, or create it. Plain `fetch` against the REST API so tests can point
 * `apiUrl` at a loopback server.
 */
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
}

export type StickyCommentResult = { ok: true; action: 'created' | 'updated'; id: number; url: string } | { ok: false; message: string };

/** GitHub caps a comment body at 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;

export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  const marker = options.marker ?? REPORT_MARKER;
  const doFetch = options.fetch ?? fetch;
  const base = options.apiUrl.replace(/\/+$/, '');
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'falco-gitops',
  };
  const body = withMarker(options.body, marker);
  const request = async (
    method: string,
    url: string,
    payload?: unknown,
  ): Promise<{ ok: true; json: unknown; link: string | null } | { ok: false; message: string }> => {
    let response: Response;
    try {
      response = await doFetch(url, { method, headers, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) });
    } catch (err) {
      return { ok: false, message: `${method} ${url}: ${err instanceof Error ? err.message : String(err)}` };
    }
    const text = await response.text();
    if (!response.ok) return { ok: false, message: `${method} ${url}: HTTP ${response.status} ${text.slice(0, 200)}` };
    try {
      return { ok: true, json: text === '' ? null : JSON.parse(text), link: response.headers.get('link') };
    } catch (err) {
      return { ok: false, message: `${method} ${url}: response is not JSON (${(err as Error).message})` };
    }
  };
  let url: string | null = `${base}/repos/${options.repository}/issues/${options.issueNumber}/comments?per_page=${options.perPage ?? 100}`;
  while (url !== null) {
    const page = await request('GET', url);
    if (!page.ok) return page;
    if (!Array.isArray(page.json)) return { ok: false, message: `GET ${url}: expected a list of comments` };
    const comments: unknown[] = page.json;
    const ours = comments.find(
      (c: unknown) =>
        typeof c === 'object' && c !== null && typeof (c as { body?: unknown }).body === 'string' && (c as { body: string }).body.includes(marker),
    );
    if (ours !== undefined) {
      const id = (ours as { id: number }).id;
      const updated = await request('PATCH', `${base}/repos/${options.repository}/issues/comments/${id}`, { body });
      if (!updated.ok) return updated;
      return { ok: true, action: 'updated', id, url: urlOf(updated.json) };
    }
    url = nextPage(page.link);
  }
  const created = await request('POST', `${base}/repos/${options.repository}/issues/${options.issueNumber}/comments`, { body });
  if (!created.ok) return created;
  return { ok: true, action: 'created', id: Number((created.json as { id?: unknown } | null)?.id ?? 0), url: urlOf(created.json) };
}

/** The marker first (invisible in the rendered comment), the body cut to GitHub's limit. */
export function withMarker(body: string, marker: string): string {
  const text = `${marker}\n${body}`;
  if (text.length <= MAX_COMMENT_CHARS) return text;
  const note = '\n\n> Report cut to fit a comment; the job summary has all of it.\n';
  return text.slice(0, MAX_COMMENT_CHARS - note.length) + note;
}

/** RFC 8288 Link header: the `rel="next"` target, or null. */
export function nextPage(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (m) return m[1];
  }
  return null;
}

function urlOf(json: unknown): string {
  const u = typeof json === 'object' && json !== null ? (json as { html_url?: unknown }).html_url : undefined;
  return typeof u === 'string' ? u : '';
}
