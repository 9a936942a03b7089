import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { artifactName } from './artifact.js';
import { OciError } from './errors.js';
import { ANNOTATION_SOURCE } from './media-types.js';
import { splitRepository } from './reference.js';
import { compareStrings } from '../config/compare-paths.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';

/**
 * cosign keyless identity falcoctl checks before installing (falcoctl pkg/index/index: CosignSignature).
 * Cosign needs an issuer (exact or regexp) and an identity (exact, regexp, or GitHub workflow).
 */
export interface CosignIdentity {
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateGithubWorkflow?: string;
}

/** One entry of a falcoctl index file (falcoctl pkg/index/index: Entry), for `falcoctl index add`. */
export interface IndexEntry {
  name: string;
  type: 'rulesfile';
  registry: string;
  repository: string;
  /** Written as `signature: {cosign: {…}}` right after `repository`, as falcoctl orders it. */
  signature?: { cosign: CosignIdentity };
  description: string;
  home: string;
  keywords: string[];
  license: string;
  maintainers: { name: string; email: string }[];
  sources: string[];
}

/** Entry metadata that does not come from the artifact itself (flags, configuration). */
export interface IndexMetadata {
  /** Defaults to "Falco rules for the <environment> environment". */
  description?: string;
  /** Defaults to the manifest's `org.opencontainers.image.source`. */
  home?: string;
  /** Defaults to ["falco", "rules", <environment>]. */
  keywords?: string[];
  license: string;
  maintainers: { name: string; email: string }[];
  /** Defaults to the manifest's `org.opencontainers.image.source`, when it has one. */
  sources?: string[];
  signature?: CosignIdentity;
}

/** What an index entry is derived from: where the artifact is published, and its manifest annotations. */
export interface IndexSubject {
  environment: string;
  /** Full repository as published, e.g. "ghcr.io/acme/falco-rules-production". */
  repository: string;
  manifestAnnotations: Record<string, string>;
}

const COSIGN_KEYS: [keyof CosignIdentity, string][] = [
  ['certificateOidcIssuer', 'certificate-oidc-issuer'],
  ['certificateOidcIssuerRegexp', 'certificate-oidc-issuer-regexp'],
  ['certificateIdentity', 'certificate-identity'],
  ['certificateIdentityRegexp', 'certificate-identity-regexp'],
  ['certificateGithubWorkflow', 'certificate-github-workflow'],
];

/** Why cosign could not verify with this identity, or null when it is complete. */
export function checkCosignIdentity(c: CosignIdentity): string | null {
  if (!c.certificateOidcIssuer && !c.certificateOidcIssuerRegexp) return 'a cosign signature needs an OIDC issuer (exact or regexp)';
  if (!c.certificateIdentity && !c.certificateIdentityRegexp && !c.certificateGithubWorkflow) {
    return 'a cosign signature needs a certificate identity (exact, regexp or GitHub workflow)';
  }
  return null;
}

/** The index entry of one published artifact: name and location from the repository, the rest from metadata or defaults. */
export function indexEntryFor(subject: IndexSubject, meta: IndexMetadata): IndexEntry {
  const split = splitRepository(subject.repository);
  if (!split) throw new OciError({ kind: 'invalid-content', message: `'${subject.repository}' is not a registry/repository name` });
  const source = subject.manifestAnnotations[ANNOTATION_SOURCE];
  const entry: IndexEntry = {
    name: artifactName(subject.repository),
    type: 'rulesfile',
    registry: split.registry,
    repository: split.repository,
    description: meta.description ?? `Falco rules for the ${subject.environment} environment`,
    home: meta.home ?? source ?? '',
    keywords: meta.keywords && meta.keywords.length > 0 ? meta.keywords : ['falco', 'rules', subject.environment],
    license: meta.license,
    maintainers: meta.maintainers,
    sources: meta.sources && meta.sources.length > 0 ? meta.sources : source ? [source] : [],
  };
  if (meta.signature) entry.signature = { cosign: meta.signature };
  return entry;
}

/**
 * Adds or replaces entries (by name) in an index file's YAML text; `null` starts a new one.
 * Entries of other artifacts are kept as they are; a replaced entry keeps its `signature` block
 * when the new one brings none, so regenerating never silently drops verification. The result is
 * sorted by name, as falcoctl's Index.Normalize sorts it.
 */
export function updateIndexFile(existing: string | null, entries: IndexEntry[]): string {
  const byName = new Map<string, unknown>();
  for (const item of parseIndexItems(existing)) byName.set(item.name, item.raw);
  const fresh = new Set<string>();
  for (const e of entries) {
    if (fresh.has(e.name)) throw new OciError({ kind: 'invalid-content', message: `two artifacts would share the index entry name '${e.name}'` });
    fresh.add(e.name);
    const before = byName.get(e.name);
    const keptSignature = !e.signature && isRecord(before) && isRecord(before.signature) ? before.signature : undefined;
    byName.set(e.name, renderEntry(e, keptSignature));
  }
  const names = [...byName.keys()].sort(compareStrings);
  return stringify(
    names.map((k) => byName.get(k)),
    { lineWidth: 0 },
  );
}

/** Reads, updates and atomically rewrites an index file (temp file beside it, then rename). */
export async function writeIndexFile(path: string, entries: IndexEntry[]): Promise<void> {
  let existing: string | null = null;
  try {
    existing = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new OciError({ kind: 'invalid-content', message: `cannot read the index file ${path}` }, { cause: err });
  }
  let text: string;
  try {
    text = updateIndexFile(existing, entries);
  } catch (err) {
    throw err instanceof OciError ? new OciError({ kind: err.kind, message: `${path}: ${err.message}` }, { cause: err }) : err;
  }
  try {
    await writeFileAtomic(path, text);
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `cannot write the index file ${path}` }, { cause: err });
  }
}

function parseIndexItems(existing: string | null): { name: string; raw: unknown }[] {
  if (existing === null || existing.trim() === '') return [];
  let current: unknown;
  try {
    current = parse(existing) ?? [];
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `the index file is not valid YAML: ${(err as Error).message}` }, { cause: err });
  }
  if (!Array.isArray(current)) throw new OciError({ kind: 'invalid-content', message: 'the index file must be a YAML list of entries' });
  const seen = new Set<string>();
  return current.map((raw: unknown, i) => {
    const name = isRecord(raw) && typeof raw.name === 'string' && raw.name !== '' ? raw.name : null;
    if (name === null) throw new OciError({ kind: 'invalid-content', message: `index entry ${i + 1} has no name` });
    // falcoctl refuses an index with a duplicate name ("duplicate entry found"), so we do too
    if (seen.has(name)) throw new OciError({ kind: 'invalid-content', message: `duplicate index entry '${name}'` });
    seen.add(name);
    return { name, raw };
  });
}

/** falcoctl's field order (yaml tags of Entry), maintainers as email then name. */
function renderEntry(e: IndexEntry, keptSignature: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { name: e.name, type: e.type, registry: e.registry, repository: e.repository };
  if (e.signature) {
    const cosign: Record<string, string> = {};
    for (const [field, key] of COSIGN_KEYS) {
      const value = e.signature.cosign[field];
      if (value) cosign[key] = value;
    }
    out.signature = { cosign };
  } else if (keptSignature !== undefined) {
    out.signature = keptSignature;
  }
  out.description = e.description;
  out.home = e.home;
  out.keywords = e.keywords;
  out.license = e.license;
  out.maintainers = e.maintainers.map((m) => ({ email: m.email, name: m.name }));
  out.sources = e.sources;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
