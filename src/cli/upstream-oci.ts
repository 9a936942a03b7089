import {
  DEFAULT_RETRY,
  HttpClient,
  OciError,
  SecretSet,
  openRegistryStore,
  parseReference,
  pullArtifact,
  resolveCredential,
  type Reference,
  type RegistryStore,
} from '../oci/index.js';
import type { UpstreamSource } from '../upstream/index.js';
import { CliError } from './exit.js';
import type { CliIO } from './io.js';
import { dockerConfigPath } from './registry-credentials.js';
import { progress, progressDone } from './terminal.js';
import { USER_AGENT } from './tool-info.js';

/** An anonymous-or-configured store for one upstream artifact repository, with the secrets to redact. */
async function openUpstreamStore(ref: Reference, io: CliIO, plainHttp: boolean): Promise<{ store: RegistryStore; secrets: SecretSet }> {
  const secrets = new SecretSet();
  const { credential } = await resolveCredential(ref.registry, { env: io.env, dockerConfigPath: dockerConfigPath(io.env) });
  if (credential) secrets.addCredentials(credential.username, credential.password);
  const http = new HttpClient({ userAgent: USER_AGENT, timeoutMs: 60_000, retry: DEFAULT_RETRY, secrets });
  return { store: openRegistryStore({ registry: ref.registry, repository: ref.repository, plainHttp }, credential, http), secrets };
}

function parseUpstreamReference(from: string): { text: string; ref: Reference } {
  const text = from.replace(/^oci:\/\//, '');
  const parsed = parseReference(text);
  if (!parsed.ok) throw new CliError(parsed.message, 'usage-error');
  return { text, ref: parsed.ref };
}

/**
 * Pulls a falcosecurity rulesfile artifact (e.g. ghcr.io/falcosecurity/rules/falco-rules:4.0.0)
 * and returns the ruleset's file from its layer, with the reference and manifest digest it came from.
 */
export async function fetchOciRuleset(from: string, ruleset: string, io: CliIO, plainHttp: boolean): Promise<{ text: string; source: UpstreamSource }> {
  const { text, ref } = parseUpstreamReference(from);
  const { store, secrets } = await openUpstreamStore(ref, io, plainHttp);
  progress(io, `pulling ${text}…`);
  const result = await pullArtifact(store, ref.digest ?? ref.tag ?? 'latest');
  progressDone(io);
  if (result.error) throw new CliError(secrets.redact(`${text}: ${result.error.message}`));
  const file = result.files.find((f) => f.name === `${ruleset}.yaml`) ?? (result.files.length === 1 ? result.files[0] : undefined);
  if (!file) throw new CliError(`${text}: the artifact holds ${result.files.map((f) => f.name).join(', ') || 'no files'}, not ${ruleset}.yaml`);
  return { text: Buffer.from(file.bytes).toString('utf8'), source: { kind: 'oci', reference: text, digest: result.digest } };
}

/** `ghcr.io/falcosecurity/rules/falco-rules:4.0.0` (or `oci://…`, or a bare repository) → `ghcr.io/falcosecurity/rules/falco-rules`. */
export function artifactRepository(reference: string): string {
  const { ref } = parseUpstreamReference(reference);
  return `${ref.registry}/${ref.repository}`;
}

/** Every tag of an artifact repository (all pages); a repository the registry does not know has none. */
export async function listArtifactTags(repository: string, io: CliIO, plainHttp: boolean): Promise<string[]> {
  const { ref } = parseUpstreamReference(repository);
  const { store, secrets } = await openUpstreamStore(ref, io, plainHttp);
  const tags: string[] = [];
  try {
    for await (const tag of store.listTags()) tags.push(tag);
  } catch (err) {
    if (err instanceof OciError) throw new CliError(secrets.redact(`${repository}: ${err.message}`));
    throw err;
  }
  return tags;
}
