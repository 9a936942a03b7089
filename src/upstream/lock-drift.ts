/**
 * Whether the vendored upstream files still match the lock: a file edited by hand, a locked file
 * that is gone, or a rules file in the vendored folder that the lock does not pin. A repository
 * without a lock file pins nothing, so there is nothing to enforce.
 */
import type { RepositoryReader } from '../config/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { LOCK_FILE_PATH, parseLockFile, sha256Hex, type LockedRuleset, type UpstreamSource } from './lock-file.js';

const VENDORED_DIR = 'rules/upstream/';

export function lockDrift(reader: RepositoryReader): Diagnostic[] {
  const lockText = reader.readText(LOCK_FILE_PATH);
  if (lockText === undefined) return [];
  const parsed = parseLockFile(lockText, LOCK_FILE_PATH);
  if (!parsed.ok) return parsed.diagnostics;
  const out: Diagnostic[] = [];
  const drift = (itemName: string, location: Diagnostic['location'], message: string, hint: string): Diagnostic => ({
    code: 'UPSTREAM_LOCK_DRIFT',
    severity: 'error',
    itemType: 'upstream ruleset',
    itemName,
    message,
    location,
    hint,
  });
  for (const entry of parsed.lock.rulesets) {
    const text = reader.readText(entry.file);
    if (text === undefined) {
      out.push(
        drift(
          entry.name,
          { file: LOCK_FILE_PATH, line: lockLineOf(lockText, entry.name), column: 3 },
          `upstream file ${entry.file} is pinned in the lock (${entry.name} ${entry.version}) but missing`,
          `restore it with \`git checkout -- ${entry.file}\` or \`${restoreCommand(entry)}\`, or unpin it with \`falco-gitops upstream remove ${entry.name}\``,
        ),
      );
      continue;
    }
    const actual = sha256Hex(text);
    if (actual !== entry.sha256) {
      out.push(
        drift(
          entry.name,
          { file: entry.file, line: 1, column: 1 },
          `upstream file ${entry.file} differs from the lock (sha256 ${actual}, locked ${entry.sha256} for ${entry.name} ${entry.version})`,
          `restore the pinned file with \`git checkout -- ${entry.file}\` or \`${restoreCommand(entry)}\` and put changes of ours in an overlay; \`falco-gitops upstream update\` moves the pin`,
        ),
      );
    }
  }
  const pinned = new Set(parsed.lock.rulesets.map((r) => r.file));
  const vendored = reader
    .listFiles(VENDORED_DIR)
    .filter((f) => /\.ya?ml$/.test(f) && f !== LOCK_FILE_PATH && !/\.lock\.ya?ml$/.test(f))
    .sort();
  for (const file of vendored) {
    if (pinned.has(file)) continue;
    out.push(
      drift(
        file,
        { file, line: 1, column: 1 },
        `upstream file ${file} is in ${VENDORED_DIR} but not pinned in ${LOCK_FILE_PATH}`,
        `pin it with \`falco-gitops upstream pull\`, or move a file of ours out of ${VENDORED_DIR}`,
      ),
    );
  }
  return out;
}

/** The `upstream pull` that puts the locked bytes back, from where the lock says they came. */
function restoreCommand(entry: LockedRuleset): string {
  return `falco-gitops upstream pull ${entry.name} --version ${entry.version} --from ${fromArgument(entry.source)} --sha256 ${entry.sha256}`;
}

function fromArgument(source: UpstreamSource): string {
  switch (source.kind) {
    case 'oci':
      return source.reference;
    case 'git':
      return `git+${source.url}@${source.tag}${source.path ? `#${source.path}` : ''}`;
    case 'path':
      return source.path;
  }
}

/** The line of the lock entry `name: <name>`; 1 when it cannot be found. */
function lockLineOf(lockText: string, name: string): number {
  const lines = lockText.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\s*-?\\s*name:\\s*['"]?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*$`).test(l));
  return at < 0 ? 1 : at + 1;
}
