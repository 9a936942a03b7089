import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { OciError } from './errors.js';

export interface Credential {
  username: string;
  password: string;
}

/** The user name Docker's config gives an `identitytoken` entry (an OAuth2 refresh token, not a password). */
export const IDENTITY_TOKEN_USER = '<token>';

/** Environment variables read by the CLI and passed in here. */
export const ENV_USERNAME = 'FALCO_GITOPS_REGISTRY_USERNAME';
export const ENV_PASSWORD = 'FALCO_GITOPS_REGISTRY_PASSWORD';
/** The one registry host that --password-stdin and the environment's credentials are for; unset: every registry the command itself names. */
export const ENV_HOST = 'FALCO_GITOPS_REGISTRY_HOST';

/** Runs `docker-credential-<helper> get` for a host; null when the helper has nothing for it. */
export type CredentialHelperRunner = (helper: string, host: string) => Promise<Credential | null>;

export interface CredentialSources {
  /** `--username` with `--password-stdin`. */
  explicit?: Credential | null;
  /** Process environment, passed in by the CLI. */
  env?: Record<string, string | undefined>;
  /** Path of Docker's config.json (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). */
  dockerConfigPath?: string | null;
  runHelper?: CredentialHelperRunner;
}

export interface ResolvedCredential {
  credential: Credential | null;
  /** Where it came from, for messages: "--username", "environment", "docker config (auths)", "docker-credential-pass", "anonymous". */
  source: string;
}

/** Credential sources in order: explicit flags, environment, Docker config (credHelpers, credsStore, auths); else anonymous. */
export async function resolveCredential(host: string, sources: CredentialSources): Promise<ResolvedCredential> {
  const env = sources.env ?? {};
  const scoped = !env[ENV_HOST] || env[ENV_HOST] === host;
  if (sources.explicit && scoped) return { credential: sources.explicit, source: '--username' };
  const user = env[ENV_USERNAME];
  const pass = env[ENV_PASSWORD];
  if (user && pass && scoped) return { credential: { username: user, password: pass }, source: 'environment' };
  if (sources.dockerConfigPath) {
    const fromDocker = await readDockerCredential(sources.dockerConfigPath, host, sources.runHelper ?? runCredentialHelper);
    if (fromDocker) return fromDocker;
  }
  return { credential: null, source: 'anonymous' };
}

interface DockerConfig {
  auths: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers: Record<string, string>;
}

async function readDockerCredential(path: string, host: string, runHelper: CredentialHelperRunner): Promise<ResolvedCredential | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new OciError({ kind: 'auth', message: `cannot read Docker config ${path}` }, { cause: err });
  }
  const config = parseDockerConfig(text, path);
  const helper = config.credHelpers[host] ?? config.credsStore;
  if (helper) {
    const credential = await runHelper(helper, host);
    if (credential) return { credential, source: `docker-credential-${helper}` };
  }
  for (const [key, entry] of Object.entries(config.auths)) {
    if (normaliseHost(key) !== host) continue;
    if (entry.identitytoken) return { credential: { username: IDENTITY_TOKEN_USER, password: entry.identitytoken }, source: 'docker config (auths)' };
    if (entry.username && entry.password) return { credential: { username: entry.username, password: entry.password }, source: 'docker config (auths)' };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { credential: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }, source: 'docker config (auths)' };
    }
  }
  return null;
}

export function parseDockerConfig(text: string, path: string): DockerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new OciError({ kind: 'auth', message: `Docker config ${path} is not valid JSON` }, { cause: err });
  }
  const out: DockerConfig = { auths: {}, credHelpers: {} };
  if (typeof raw !== 'object' || raw === null) return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.auths === 'object' && r.auths !== null) {
    for (const [k, v] of Object.entries(r.auths)) {
      if (typeof v !== 'object' || v === null) continue;
      const e = v as Record<string, unknown>;
      out.auths[k] = {
        ...(typeof e.auth === 'string' ? { auth: e.auth } : {}),
        ...(typeof e.username === 'string' ? { username: e.username } : {}),
        ...(typeof e.password === 'string' ? { password: e.password } : {}),
        ...(typeof e.identitytoken === 'string' ? { identitytoken: e.identitytoken } : {}),
      };
    }
  }
  if (typeof r.credsStore === 'string' && r.credsStore) out.credsStore = r.credsStore;
  if (typeof r.credHelpers === 'object' && r.credHelpers !== null) {
    for (const [k, v] of Object.entries(r.credHelpers)) if (typeof v === 'string') out.credHelpers[k] = v;
  }
  return out;
}

/** "https://index.docker.io/v1/" → "index.docker.io". */
function normaliseHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

/** The real helper protocol: host on stdin, {"Username","Secret"} on stdout. */
export const runCredentialHelper: CredentialHelperRunner = (helper, host) =>
  new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (err, stdout) => {
      if (err) {
        if (/credentials not found/i.test(stdout)) return resolve(null);
        return reject(new OciError({ kind: 'tool', message: `docker-credential-${helper} get failed for ${host}` }, { cause: err }));
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        if (typeof parsed.Username === 'string' && typeof parsed.Secret === 'string' && parsed.Secret) {
          return resolve({ username: parsed.Username, password: parsed.Secret });
        }
        resolve(null);
      } catch (parseErr) {
        reject(new OciError({ kind: 'tool', message: `docker-credential-${helper} printed no JSON for ${host}` }, { cause: parseErr }));
      }
    });
    // A helper may exit without reading the host (EPIPE on our write); its exit status and output decide.
    child.stdin?.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(new OciError({ kind: 'tool', message: `cannot talk to docker-credential-${helper}` }, { cause: err }));
    });
    child.stdin?.end(host);
  });
