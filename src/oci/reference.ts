/** An OCI reference: "ghcr.io/acme/rules:1.7.0" or "localhost:5000/rules@sha256:…". */
export interface Reference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export type ParsedReference = { ok: true; ref: Reference } | { ok: false; message: string };

/** Parses a reference; the registry part is required (no implicit docker.io). */
export function parseReference(text: string): ParsedReference {
  const slash = text.indexOf('/');
  if (slash <= 0) return { ok: false, message: `reference '${text}' has no registry host (expected host/repository[:tag|@digest])` };
  const registry = text.slice(0, slash);
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, message: `reference '${text}' has an invalid digest '${digest}'` };
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, message: `reference '${text}' has an invalid tag '${tag}'` };
  }
  if (!REPOSITORY.test(rest)) return { ok: false, message: `reference '${text}' has an invalid repository '${rest}'` };
  const ref: Reference = { registry, repository: rest };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

/** "host/repo" of a full repository name such as "ghcr.io/acme/rules". */
export function splitRepository(full: string): { registry: string; repository: string } | null {
  const parsed = parseReference(full);
  if (!parsed.ok || parsed.ref.tag !== undefined || parsed.ref.digest !== undefined) return null;
  return { registry: parsed.ref.registry, repository: parsed.ref.repository };
}

/** Loopback hosts are reached over plain HTTP unless told otherwise. */
export function isLoopbackHost(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0];
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
