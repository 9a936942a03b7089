/** `upstream latest`: the newest released version of each pinned upstream ruleset, from its artifact repository's tags. */
import type { Command } from 'commander';
import { fsRepositoryReader } from '../config/index.js';
import { LOCK_FILE_PATH, newestRelease, releaseStatus, type LockedRuleset, type ReleaseStatus } from '../upstream/index.js';
import { parseFormat } from './command.js';
import { CLEAN, CliError, FINDINGS, type Outcome } from './exit.js';
import type { CliIO } from './io.js';
import { readLock } from './upstream-inputs.js';
import { artifactRepository, listArtifactTags } from './upstream-oci.js';
import { formatOption } from './options.js';
import { renderJsonDocument } from '../report/index.js';

interface LatestOptions {
  registryRef?: string;
  prerelease?: boolean;
  failIfOutdated?: boolean;
  plainHttp?: boolean;
  format: string;
}

/** One ruleset's answer: where it was looked up, and what was found there. */
export interface LatestRelease extends ReleaseStatus {
  repository: string;
}

export function registerUpstreamLatest(upstream: Command, io: CliIO, done: (outcome: Outcome) => void): void {
  upstream
    .command('latest')
    .description("The newest released version of each pinned upstream ruleset, among the tags of its falcoctl artifact repository (the lock's OCI source)")
    .argument('[ruleset...]', 'only these rulesets (default: every locked one)')
    .option('--registry-ref <ref>', "the artifact repository to look in instead of the lock's, e.g. a mirror (one ruleset at a time)")
    .option('--prerelease', 'count pre-release versions (4.1.0-rc1) too')
    .option('--fail-if-outdated', 'exit 1 when a newer release exists')
    .option('--plain-http', 'talk to the registry over http (local test registries)')
    .addOption(
      formatOption(['text', 'json'], 'text or json (stable: {schemaVersion, outdated, rulesets: [{name, repository, current, newest, updateAvailable}]})'),
    )
    .addHelpText(
      'after',
      `
Only full semver tags count (4.0.0, not the floating 4.0, 4 or latest); pre-releases only with --prerelease.

Examples:
  falco-gitops upstream latest
  falco-gitops upstream latest falco_rules --format json | jq -r '.rulesets[0].newest'
  falco-gitops upstream latest falco_rules --registry-ref registry.internal/mirror/falco-rules --fail-if-outdated

Exit codes: 0 looked up (1 with --fail-if-outdated when a newer release exists) · 2 usage or input error`,
    )
    .action(async (names: string[], opts: LatestOptions) => {
      const format = parseFormat(opts.format, ['text', 'json'] as const);
      const releases = await findLatestReleases(names, opts, io);
      const outdated = releases.some((r) => r.updateAvailable);
      io.stdout(format === 'json' ? renderJsonDocument({ outdated, rulesets: releases }) : renderLatestText(releases));
      done(outdated && opts.failIfOutdated ? FINDINGS : CLEAN);
    });
}

async function findLatestReleases(names: string[], opts: LatestOptions, io: CliIO): Promise<LatestRelease[]> {
  const reader = fsRepositoryReader(io.cwd);
  const hasLock = reader.readText(LOCK_FILE_PATH) !== undefined;
  if (!hasLock && opts.registryRef === undefined)
    throw new CliError(`${LOCK_FILE_PATH} not found: pin upstream first with \`falco-gitops upstream pull\`, or pass --registry-ref`);
  const locked = hasLock ? readLock(reader).rulesets : [];
  // Unnamed, only rulesets pinned from a registry are looked up: a local or git pin has no artifact tags.
  const tracked = opts.registryRef === undefined ? locked.filter((r) => r.source.kind === 'oci') : locked;
  for (const r of locked)
    if (!tracked.includes(r) && names.length === 0) io.stderr(`note: ${r.name} is pinned from a ${r.source.kind} source; not looked up\n`);
  const selected: { name: string; entry: LockedRuleset | undefined }[] =
    names.length > 0 ? names.map((name) => ({ name, entry: locked.find((r) => r.name === name) })) : tracked.map((entry) => ({ name: entry.name, entry }));
  if (selected.length === 0 && names.length === 0 && locked.length > 0) return [];
  if (selected.length === 0)
    throw new CliError(opts.registryRef === undefined ? `${LOCK_FILE_PATH} pins no ruleset` : '--registry-ref needs the ruleset name', 'usage-error');
  if (opts.registryRef !== undefined && selected.length > 1) throw new CliError('--registry-ref looks up one ruleset: name it', 'usage-error');
  const releases: LatestRelease[] = [];
  for (const { name, entry } of selected) {
    if (entry === undefined && opts.registryRef === undefined)
      throw new CliError(`ruleset '${name}' is not in ${LOCK_FILE_PATH} (locked: ${locked.map((r) => r.name).join(', ') || 'none'})`, 'usage-error');
    const repository = opts.registryRef !== undefined ? artifactRepository(opts.registryRef) : ociRepositoryOf(entry!);
    const newest = newestRelease(await listArtifactTags(repository, io, Boolean(opts.plainHttp)), { prerelease: Boolean(opts.prerelease) });
    releases.push({ ...releaseStatus(name, entry?.version ?? null, newest), repository });
  }
  return releases;
}

function ociRepositoryOf(entry: LockedRuleset): string {
  if (entry.source.kind !== 'oci')
    throw new CliError(`ruleset '${entry.name}' was pinned from a ${entry.source.kind} source, not a registry: pass --registry-ref`, 'usage-error');
  return artifactRepository(entry.source.reference);
}

export function renderLatestText(releases: LatestRelease[]): string {
  if (releases.length === 0) return 'no ruleset pinned from a registry\n';
  const width = Math.max(...releases.map((r) => r.name.length));
  const lines = releases.map((r) => {
    const state = r.newest === null ? 'no release tags' : r.updateAvailable ? 'update available' : 'up to date';
    return `${r.name.padEnd(width)}  ${r.current ?? '(not pinned)'} → ${r.newest ?? '?'}  ${state}  (${r.repository})`;
  });
  return `${lines.join('\n')}\n`;
}
