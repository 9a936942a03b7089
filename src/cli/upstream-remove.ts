/** `upstream remove`: unpin an upstream ruleset, removing its lock entry and its vendored file, unless an environment still needs it. */
import type { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { closestName, fsRepositoryReader, type RepositoryReader } from '../config/index.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import { loadRepository } from '../environment/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { LOCK_FILE_PATH, renderLockFile, type LockedRuleset } from '../upstream/index.js';
import { parseFormat } from './command.js';
import { CLEAN, CliError, type Outcome } from './exit.js';
import type { CliIO } from './io.js';
import { formatOption } from './options.js';
import { readLock } from './upstream-inputs.js';

interface RemoveOptions {
  force?: boolean;
  format: string;
}

/** Why an environment still needs the file: what breaks when it is gone. */
export interface UpstreamReference {
  /** The environment, or null when the repository as a whole stops loading (a layer that no longer resolves). */
  environment: string | null;
  problem: string;
}

export function registerUpstreamRemove(upstream: Command, io: CliIO, done: (outcome: Outcome) => void): void {
  upstream
    .command('remove')
    .description(`Unpin an upstream ruleset: remove its entry from ${LOCK_FILE_PATH} and its vendored file, refusing while an environment still needs it`)
    .argument('<ruleset>', 'the locked ruleset name, e.g. falco-sandbox_rules')
    .option('--force', 'remove it even though an environment still needs it (the environment then fails validate until its layers or overlays change)')
    .addOption(formatOption(['text', 'json'], 'text or json (stable: {schemaVersion, removed, deleted, references, forced})'))
    .addHelpText(
      'after',
      `
An environment needs the ruleset when loading it without the vendored file fails where it loaded
before: a layer names the file (or a glob matches nothing else), or an overlay of ours appends to,
overrides or uses an item only that ruleset defines.

Examples:
  falco-gitops upstream remove falco-sandbox_rules
  falco-gitops upstream remove falco-sandbox_rules --force --format json

Exit codes: 0 removed · 2 not locked, still needed by an environment (without --force), or a usage or input error`,
    )
    .action(async (name: string, opts: RemoveOptions) => {
      const format = parseFormat(opts.format, ['text', 'json'] as const);
      const reader = fsRepositoryReader(io.cwd);
      const lock = readLock(reader);
      const entry = lock.rulesets.find((r) => r.name === name);
      if (entry === undefined) {
        const near = closestName(
          name,
          lock.rulesets.map((r) => r.name),
        );
        const locked = lock.rulesets.map((r) => r.name).join(', ') || 'none';
        throw new CliError(`ruleset '${name}' is not in ${LOCK_FILE_PATH} (locked: ${locked})${near ? `; did you mean '${near}'?` : ''}`, 'usage-error');
      }
      const references = referencesTo(reader, entry.file);
      if (references.length > 0 && !opts.force) {
        if (format === 'json') io.stdout(`${JSON.stringify({ schemaVersion: 1, removed: null, deleted: [], references, forced: false }, null, 2)}\n`);
        else for (const r of references) io.stderr(`${r.environment ?? 'repository'}: ${r.problem}\n`);
        throw new CliError(`ruleset '${name}' (${entry.file}) is still needed by ${describe(references)}; change those first, or pass --force`);
      }
      const deleted = reader.readText(entry.file) !== undefined || reader.refusal?.(entry.file) !== undefined ? [entry.file] : [];
      // The lock first: interrupted after it, the file is left unpinned, which validate reports; the lock never names a file that is gone.
      await writeFileAtomic(join(io.cwd, LOCK_FILE_PATH), renderLockFile({ version: 1, rulesets: lock.rulesets.filter((r) => r !== entry) }));
      await rm(join(io.cwd, entry.file), { force: true });
      io.stdout(
        format === 'json'
          ? `${JSON.stringify({ schemaVersion: 1, removed: entry, deleted, references, forced: references.length > 0 }, null, 2)}\n`
          : renderRemoved(entry, deleted, references),
      );
      done(CLEAN);
    });
}

/** Loads the repository with and without the file; every error that appears only without it is a reference. */
export function referencesTo(reader: RepositoryReader, file: string): UpstreamReference[] {
  const before = loadRepository(reader);
  const after = loadRepository(withoutFile(reader, file));
  const key = (d: Diagnostic) => JSON.stringify([d.code, d.location, d.itemName, d.message]);
  if (!after.ok) {
    const known = new Set((before.ok ? [] : before.diagnostics).map(key));
    return after.diagnostics.filter((d) => !known.has(key(d))).map((d) => ({ environment: null, problem: formatDiagnostic(d) }));
  }
  const references: UpstreamReference[] = [];
  for (const env of after.environments) {
    const earlier = before.ok ? before.environments.find((e) => e.environment.name === env.environment.name) : undefined;
    const known = new Set((earlier?.diagnostics ?? []).map(key));
    const fresh = env.diagnostics.filter((d) => d.severity === 'error' && !known.has(key(d)));
    if (fresh.length > 0) references.push({ environment: env.environment.name, problem: formatDiagnostic(fresh[0]) });
  }
  return references;
}

function withoutFile(reader: RepositoryReader, file: string): RepositoryReader {
  return {
    readText: (path) => (path === file ? undefined : reader.readText(path)),
    listFiles: (dir) => reader.listFiles(dir).filter((path) => path !== file),
    ...(reader.refusal ? { refusal: (path: string) => (path === file ? undefined : reader.refusal!(path)) } : {}),
  };
}

function describe(references: UpstreamReference[]): string {
  const environments = references.map((r) => r.environment).filter((e) => e !== null);
  return environments.length > 0 ? `environment ${environments.map((e) => `'${e}'`).join(', ')}` : 'the repository configuration';
}

function renderRemoved(entry: LockedRuleset, deleted: string[], references: UpstreamReference[]): string {
  const lines = [`removed ${entry.name} ${entry.version} from ${LOCK_FILE_PATH}${deleted.length > 0 ? ` and deleted ${deleted.join(', ')}` : ''}`];
  for (const r of references) lines.push(`warning: ${r.environment ?? 'repository'} still needed it (--force): ${r.problem}`);
  return `${lines.join('\n')}\n`;
}
