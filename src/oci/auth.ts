import { OciError } from './errors.js';
import { IDENTITY_TOKEN_USER, type Credential } from './credentials.js';
import type { HttpClient, HttpRequest, HttpResponse } from './http.js';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}

/**
 * Authorises requests to one registry: learns the scheme from the first 401 challenge, then
 * sends Basic credentials or a Bearer token fetched from the challenge's realm for the scopes
 * the request needs (cached per scope set, as oras-go's auth.Client).
 *
 * Credentials are scoped to the registry's origin: a request to any other origin (an upload
 * Location, a tag-list Link, a redirect) goes out without Authorization, and Basic credentials go
 * to a token realm only on the registry's own host (or a token service known to serve it);
 * another realm gets an anonymous token request.
 */
export class RegistryAuth {
  private scheme: Challenge | null = null;
  private readonly tokens = new Map<string, string>();

  private readonly origin: string;

  constructor(
    private readonly http: HttpClient,
    private readonly credential: Credential | null,
    /** The registry's origin, e.g. "https://ghcr.io". */
    origin: string,
  ) {
    this.origin = new URL(origin).origin;
    if (credential) http.secrets.addCredentials(credential.username, credential.password);
  }

  /** Sends `req` with authorisation for `scopes` (e.g. "repository:acme/rules:pull,push"), answering one challenge. */
  async send(req: HttpRequest, scopes: string[]): Promise<HttpResponse> {
    if (new URL(req.url).origin !== this.origin) return this.http.send(withoutAuthorization(req));
    const first = await this.http.send(await this.authorise(req, scopes));
    // a challenge counts only from the registry's own origin, not from a host a redirect led to
    if (first.status !== 401 || new URL(first.url).origin !== this.origin) return first;
    const challenge = parseChallenge(first.headers.get('www-authenticate'));
    if (!challenge) return first;
    const known = this.scheme;
    this.scheme = challenge;
    if (challenge.scheme === 'bearer') {
      this.tokens.delete([...scopes].sort().join(' '));
    } else if (known?.scheme === 'basic' && this.credential) {
      return first; // the credential was already sent and refused
    }
    return this.http.send(await this.authorise(req, mergeScopes(scopes, challenge.params.scope)));
  }

  private async authorise(req: HttpRequest, scopes: string[]): Promise<HttpRequest> {
    const s = this.scheme;
    if (!s) return req;
    if (s.scheme === 'basic') {
      if (!this.credential) return req;
      return withHeader(req, `Basic ${basic(this.credential)}`);
    }
    const token = await this.token(s, scopes);
    return withHeader(req, `Bearer ${token}`);
  }

  private async token(challenge: Challenge, scopes: string[]): Promise<string> {
    const key = [...scopes].sort().join(' ');
    const cached = this.tokens.get(key);
    if (cached) return cached;
    const realm = challenge.params.realm;
    if (!realm) throw new OciError({ kind: 'auth', message: 'the registry asked for a Bearer token without a realm' });
    const req = this.tokenRequest(realm, challenge.params.service, scopes);
    const res = await this.http.send(req);
    if (res.status !== 200)
      throw this.http.statusError(req, res, this.credential ? 'the token server refused the credentials' : 'the token server refused an anonymous token');
    let token: unknown;
    try {
      const body = JSON.parse(Buffer.from(res.body).toString('utf8')) as { token?: unknown; access_token?: unknown };
      token = body.token ?? body.access_token;
    } catch (err) {
      throw new OciError(
        { kind: 'auth', message: 'the token server answered without JSON', method: req.method, url: this.http.redactUrl(req.url) },
        { cause: err },
      );
    }
    if (typeof token !== 'string' || token === '') {
      throw new OciError({ kind: 'auth', message: 'the token server answered without a token', method: req.method, url: this.http.redactUrl(req.url) });
    }
    this.http.secrets.add(token);
    this.tokens.set(key, token);
    return token;
  }

  /**
   * The Docker token request: GET with Basic credentials; or, for an identity token from Docker's
   * config (an OAuth2 refresh token), the OAuth2 POST with grant_type=refresh_token.
   */
  private tokenRequest(realm: string, service: string | undefined, scopes: string[]): HttpRequest {
    const c = trustedTokenService(realm, this.origin) ? this.credential : null;
    if (c?.username === IDENTITY_TOKEN_USER) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.password, client_id: 'falco-gitops' });
      if (service) form.set('service', service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      return {
        method: 'POST',
        url: realm,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(form.toString()),
        secretBody: true,
      };
    }
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (c) headers.authorization = `Basic ${basic(c)}`;
    return { method: 'GET', url: url.toString(), headers };
  }
}

/**
 * Token services that serve a registry on another host (the registry declares them by name, not
 * only in its challenge), trusted even when the registry is reached over plain HTTP.
 */
const KNOWN_TOKEN_SERVICES: Record<string, string[]> = {
  'registry-1.docker.io': ['auth.docker.io'],
  'index.docker.io': ['auth.docker.io'],
  'docker.io': ['auth.docker.io'],
};

/**
 * Whether a token realm may receive the registry's credentials: the registry's own origin, its own
 * host over HTTPS, a known token service, or any HTTPS realm an HTTPS registry names in its own
 * challenge (its declared token service, as GitLab's registry names gitlab.com/jwt/auth). The
 * challenge is only heeded from the registry's origin, so over HTTPS the realm is the registry's
 * word, and the registry is already trusted with the credential. Over plain HTTP anyone on the path
 * could forge the challenge, so another host gets an anonymous token request.
 */
export function trustedTokenService(realm: string, registryOrigin: string): boolean {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return false;
  }
  const registry = new URL(registryOrigin);
  if (url.origin === registry.origin) return true;
  if (url.protocol !== 'https:') return false;
  if (url.hostname === registry.hostname || registry.protocol === 'https:') return true;
  return (KNOWN_TOKEN_SERVICES[registry.hostname] ?? []).includes(url.hostname);
}

function withoutAuthorization(req: HttpRequest): HttpRequest {
  if (!req.headers) return req;
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  return { ...req, headers };
}

function mergeScopes(scopes: string[], challenged: string | undefined): string[] {
  const all = new Set(scopes);
  for (const s of (challenged ?? '').split(' ')) if (s) all.add(s);
  return [...all].sort();
}

function withHeader(req: HttpRequest, authorization: string): HttpRequest {
  return { ...req, headers: { ...req.headers, authorization } };
}

function basic(c: Credential): string {
  return Buffer.from(`${c.username}:${c.password}`).toString('base64');
}
