/** The lock and the new upstream files `upstream check` and `upstream update` read, as CLI errors. */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { formatDiagnostic } from '../diagnostics/index.js';
import { fsRepositoryReader, type RepositoryReader } from '../config/index.js';
import { upstreamStacks } from '../environment/index.js';
import { LOCK_FILE_PATH, parseLockFile, type EnvironmentStack, type UpstreamLock } from '../upstream/index.js';
import { CliError } from './exit.js';

export function readLock(reader: RepositoryReader): UpstreamLock {
  const text = reader.readText(LOCK_FILE_PATH);
  if (text === undefined) throw new CliError(`${LOCK_FILE_PATH} not found: pin upstream first with \`falco-gitops upstream pull\``);
  const parsed = parseLockFile(text, LOCK_FILE_PATH);
  if (!parsed.ok) throw new CliError(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  return parsed.lock;
}

/**
 * The new upstream files for each locked ruleset, each with the path as given: `to` is a file (for
 * a single locked ruleset, or one named `<ruleset>.yaml`), `<ruleset>=<file>`, or a directory
 * holding `<ruleset>.yaml` files. Rulesets it does not provide stay at their locked version.
 */
export function resolveNewUpstream(lock: UpstreamLock, to: string, cwd: string, flag = '--to'): Map<string, { path: string; given: string }> {
  const named = /^([\w.-]+)=(.+)$/.exec(to);
  if (named && !existsSync(resolve(cwd, to))) {
    const [, name, file] = named;
    if (!lock.rulesets.some((r) => r.name === name))
      throw new CliError(`${flag} ${to}: '${name}' is not a locked ruleset (${lockedNames(lock)})`, 'usage-error');
    const absolute = resolve(cwd, file);
    if (!existsSync(absolute) || statSync(absolute).isDirectory()) throw new CliError(`${flag} ${to}: ${file} is not a file`);
    return new Map([[name, { path: absolute, given: file }]]);
  }
  const absolute = resolve(cwd, to);
  if (!existsSync(absolute)) throw new CliError(`${flag} ${to}: no such file or directory (fetch the version first, or pass --from)`);
  const out = new Map<string, { path: string; given: string }>();
  if (statSync(absolute).isDirectory()) {
    for (const r of lock.rulesets) if (existsSync(join(absolute, `${r.name}.yaml`))) out.set(r.name, { path: join(absolute, `${r.name}.yaml`), given: to });
  } else {
    const byName = lock.rulesets.find((r) => basename(absolute) === `${r.name}.yaml`);
    const target = byName ?? (lock.rulesets.length === 1 ? lock.rulesets[0] : undefined);
    if (!target) {
      throw new CliError(
        `${flag} ${to}: several rulesets are locked (${lockedNames(lock)}); write ${flag} <ruleset>=${to}, name the file <ruleset>.yaml, or pass a directory`,
        'usage-error',
      );
    }
    out.set(target.name, { path: absolute, given: to });
  }
  if (out.size === 0) throw new CliError(`${flag} ${to}: holds none of the locked rulesets (${lockedNames(lock)})`);
  return out;
}

function lockedNames(lock: UpstreamLock): string {
  return lock.rulesets.map((r) => r.name).join(', ');
}

/** Per environment: its layer files split into upstream (locked) and ours, with upstream's new texts. */
export function environmentStacks(cwd: string, lock: UpstreamLock, newTexts: Map<string, string>, only: readonly string[] = []): EnvironmentStack[] {
  const result = upstreamStacks(fsRepositoryReader(cwd), lock, newTexts, only);
  if (!result.ok) throw new CliError(result.message, result.usage ? 'usage-error' : undefined);
  return result.stacks;
}
