/** `upstream pull`: fetch a ruleset, verify it, and vendor it with its lock entry (both writes atomic). */
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { readRulesFile } from '../rules/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { fetchLocalRuleset } from './fetch-local.js';
import { renderLockFile, sha256Hex, withLockedRuleset, type LockedRuleset, type UpstreamLock } from './lock-file.js';

export const UPSTREAM_DIR = 'rules/upstream';

export interface PullRequest {
  ruleset: string;
  version: string;
  /** A local file, or a directory holding `<ruleset>.yaml`. */
  from: string;
  /** When given, the fetched bytes must have this sha256 (hex). */
  expectSha256?: string;
}

export type PullResult =
  | { ok: true; entry: LockedRuleset; text: string; lock: UpstreamLock }
  | { ok: false; message: string; diagnostics: Diagnostic[] };

/** Fetches and verifies; writes nothing. */
export async function fetchUpstream(request: PullRequest, lock: UpstreamLock, cwd: string): Promise<PullResult> {
  if (!/^[A-Za-z0-9._-]+$/.test(request.ruleset)) return { ok: false, message: `ruleset name '${request.ruleset}' must be a plain file name`, diagnostics: [] };
  if (/^[a-z]+:\/\//.test(request.from) || /^[\w.-]+\.[a-z]{2,}(:\d+)?\/.+:[\w.-]+$/.test(request.from)) {
    return { ok: false, message: `'${request.from}' looks like a registry or remote reference; this build fetches upstream rulesets from a local file or directory`, diagnostics: [] };
  }
  const fetched = await fetchLocalRuleset(request.from, request.ruleset, cwd);
  if (!fetched.ok) return { ok: false, message: fetched.message, diagnostics: [] };
  const sha256 = sha256Hex(fetched.text);
  if (request.expectSha256 !== undefined && request.expectSha256 !== sha256) {
    return { ok: false, message: `${fetched.path}: sha256 is ${sha256}, expected ${request.expectSha256}`, diagnostics: [] };
  }
  const file = `${UPSTREAM_DIR}/${request.ruleset}.yaml`;
  const parsed = readRulesFile({ path: file, text: fetched.text });
  const errors = parsed.diagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, message: `${request.from}: not a valid Falco rules file`, diagnostics: errors };
  const entry: LockedRuleset = { name: request.ruleset, version: request.version, file, sha256, source: { kind: 'path', path: request.from } };
  return { ok: true, entry, text: fetched.text, lock: withLockedRuleset(lock, entry) };
}

/** Writes the vendored file, then the lock: each atomically, the lock last so it never names bytes that are not there. */
export async function writePull(root: string, pulled: { entry: LockedRuleset; text: string; lock: UpstreamLock }, lockPath: string): Promise<void> {
  await writeFileAtomic(join(root, pulled.entry.file), pulled.text);
  await writeFileAtomic(join(root, lockPath), renderLockFile(pulled.lock));
}
