/** `upstream pull`: fetch a ruleset, verify it, and vendor it with its lock entry (both writes atomic). */
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { readRulesFile } from '../rules/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { fetchLocalRuleset } from './fetch-local.js';
import { renderLockFile, sha256Hex, withLockedRuleset, type LockedRuleset, type UpstreamLock, type UpstreamSource } from './lock-file.js';

export const UPSTREAM_DIR = 'rules/upstream';

export interface FetchedRuleset {
  ruleset: string;
  version: string;
  text: string;
  source: UpstreamSource;
  /** When given, the fetched bytes must have this sha256 (hex). */
  expectSha256?: string;
}

export type PullResult = { ok: true; entry: LockedRuleset; text: string; lock: UpstreamLock } | { ok: false; message: string; diagnostics: Diagnostic[] };

/** A reference to a registry rather than a local path: `oci://…` or `host.tld[:port]/repo:tag|@digest`. */
export function isRegistryReference(from: string): boolean {
  return from.startsWith('oci://') || /^[\w.-]+(\.[a-z]{2,}|:\d+)(:\d+)?\/[^\s]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/.test(from);
}

/** Checks fetched bytes (sha256, a valid rules file) and computes the new lock; writes nothing. */
export function verifyUpstream(fetched: FetchedRuleset, lock: UpstreamLock): PullResult {
  if (!/^[A-Za-z0-9._-]+$/.test(fetched.ruleset)) return { ok: false, message: `ruleset name '${fetched.ruleset}' must be a plain file name`, diagnostics: [] };
  const sha256 = sha256Hex(fetched.text);
  if (fetched.expectSha256 !== undefined && fetched.expectSha256 !== sha256) {
    return { ok: false, message: `${fetched.ruleset} ${fetched.version}: sha256 is ${sha256}, expected ${fetched.expectSha256}`, diagnostics: [] };
  }
  const file = `${UPSTREAM_DIR}/${fetched.ruleset}.yaml`;
  const parsed = readRulesFile({ path: file, text: fetched.text });
  const errors = parsed.diagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, message: `${fetched.ruleset} ${fetched.version}: not a valid Falco rules file`, diagnostics: errors };
  const entry: LockedRuleset = { name: fetched.ruleset, version: fetched.version, file, sha256, source: fetched.source };
  return { ok: true, entry, text: fetched.text, lock: withLockedRuleset(lock, entry) };
}

/** Fetches from a local file or directory, then verifies. */
export async function fetchUpstream(
  request: { ruleset: string; version: string; from: string; expectSha256?: string },
  lock: UpstreamLock,
  cwd: string,
): Promise<PullResult> {
  if (isRegistryReference(request.from))
    return { ok: false, message: `'${request.from}' is a registry reference: fetch it with the OCI client first`, diagnostics: [] };
  const fetched = await fetchLocalRuleset(request.from, request.ruleset, cwd);
  if (!fetched.ok) return { ok: false, message: fetched.message, diagnostics: [] };
  return verifyUpstream({ ...request, text: fetched.text, source: { kind: 'path', path: request.from } }, lock);
}

/** Writes the vendored file, then the lock: each atomically, the lock last so it never names bytes that are not there. */
export async function writePull(root: string, pulled: { entry: LockedRuleset; text: string; lock: UpstreamLock }, lockPath: string): Promise<void> {
  await writeFileAtomic(join(root, pulled.entry.file), pulled.text);
  await writeFileAtomic(join(root, lockPath), renderLockFile(pulled.lock));
}
