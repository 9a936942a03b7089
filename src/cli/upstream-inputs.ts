/** What `upstream check` and `upstream update` compare: per environment, upstream files (base and new) and ours. */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { formatDiagnostic } from '../diagnostics/index.js';
import { fsRepositoryReader, loadRepositoryConfig, resolveLayers, type RepositoryReader } from '../config/index.js';
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
 * The new upstream files for each locked ruleset: `to` is a file (for a single locked ruleset, or
 * one named `<ruleset>.yaml`) or a directory holding `<ruleset>.yaml` files. Rulesets it does not
 * provide stay at their locked version.
 */
export function resolveNewUpstream(lock: UpstreamLock, to: string, cwd: string): Map<string, string> {
  const absolute = resolve(cwd, to);
  if (!existsSync(absolute)) throw new CliError(`--to ${to}: no such file or directory (fetch the version first, or pass --from)`);
  const out = new Map<string, string>();
  if (statSync(absolute).isDirectory()) {
    for (const r of lock.rulesets) if (existsSync(join(absolute, `${r.name}.yaml`))) out.set(r.name, join(absolute, `${r.name}.yaml`));
  } else {
    const named = lock.rulesets.find((r) => basename(absolute) === `${r.name}.yaml`);
    const target = named ?? (lock.rulesets.length === 1 ? lock.rulesets[0] : undefined);
    if (!target) throw new CliError(`--to ${to}: several rulesets are locked; name the file <ruleset>.yaml or pass a directory`, 'usage-error');
    out.set(target.name, absolute);
  }
  if (out.size === 0) throw new CliError(`--to ${to}: holds none of the locked rulesets (${lock.rulesets.map((r) => r.name).join(', ')})`);
  return out;
}

/** Per environment: its layer files split into upstream (locked) and ours, with upstream's new texts. */
export function environmentStacks(cwd: string, lock: UpstreamLock, newTexts: Map<string, string>, only: readonly string[] = []): EnvironmentStack[] {
  const reader = fsRepositoryReader(cwd);
  const loaded = loadRepositoryConfig(reader);
  if (!loaded.config) throw new CliError(['invalid repository configuration', ...loaded.diagnostics.map(formatDiagnostic)].join('\n'));
  const envs = loaded.config.environments.filter((e) => only.length === 0 || only.includes(e.name));
  const unknown = only.filter((name) => !envs.some((e) => e.name === name));
  if (unknown.length > 0) throw new CliError(`unknown environment '${unknown.join("', '")}'`, 'usage-error');
  const byFile = new Map(lock.rulesets.map((r) => [r.file, r]));
  return envs.map((env) => {
    const layers = resolveLayers(env, reader);
    if (layers.diagnostics.length > 0) throw new CliError(layers.diagnostics.map(formatDiagnostic).join('\n'));
    const stack: EnvironmentStack = { environment: env.name, base: [], theirs: [], ours: [] };
    for (const path of layers.files) {
      const text = reader.readText(path) ?? '';
      const locked = byFile.get(path);
      if (!locked) {
        stack.ours.push({ path, text });
        continue;
      }
      stack.base.push({ path, text });
      stack.theirs.push({ path, text: newTexts.get(locked.name) ?? text });
    }
    return stack;
  });
}
