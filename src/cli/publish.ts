import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  BlobLedger,
  DEFAULT_RETRY,
  HttpClient,
  LayoutStore,
  OciError,
  OrasCliStore,
  artifactName,
  indexEntryFor,
  isLoopbackHost,
  openRegistryStore,
  publishToRegistries,
  readLayoutArtifact,
  readLayoutIndex,
  readManifestAnnotations,
  runTasks,
  splitRepository,
  writeIndexFile,
  type IndexEntry,
  type LayoutEntry,
  type PackedArtifact,
  type PublishReport,
  type PublishedTag,
  type RegistryTarget,
  type PublishStatus,
  type QueuedTask,
  type Store,
} from '../oci/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError, type Outcome } from './exit.js';
import { addIndexMetadataOptions, indexMetadataFromFlags, onRegistry, type IndexMetadataFlags } from './falcoctl-index.js';
import type { CliIO } from './io.js';
import { addCredentialOptions, openRegistryCredentials, type CredentialFlags } from './registry-credentials.js';
import { envOption, formatOption, registryOption, repeatableOption } from './options.js';
import { placeholderRegistryNote } from './placeholder-registry.js';
import { USER_AGENT } from './tool-info.js';
import { checkOutFreshness } from './out-freshness.js';
import { compareStrings } from '../config/compare-paths.js';

interface PublishFlags extends CredentialFlags, IndexMetadataFlags {
  layout: string;
  env: string[];
  registry: string[];
  plainHttp?: boolean;
  dryRun?: boolean;
  force?: boolean;
  backend: string;
  index?: string;
  to?: string;
  mountFrom: string[];
  format: string;
  timeout: string;
  concurrency: string;
}

/** One artifact of the layout and the repositories it goes to (one per registry). */
interface PublishTarget {
  entry: LayoutEntry;
  environment: string;
  version: string;
  /** "registry/path", after --registry; the first is the one named in index entries. */
  repositories: { repository: string; registry: string; path: string }[];
}

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;

export const publishCommand: CliCommand = {
  name: 'publish',
  register(program: Command, io: CliIO, done) {
    const command = program
      .command('publish')
      .description("Push each environment's falcoctl rulesfile artifact from the OCI layout `build` wrote: blobs, manifest, version tag, then floating tags")
      .option('--layout <dir>', 'OCI layout written by build --out DIR (at DIR/oci)', 'out/oci')
      .addOption(envOption('only this environment'))
      .addOption(registryOption())
      .option('--plain-http', 'use plain HTTP for a non-loopback registry (loopback always may)')
      .option('--dry-run', 'show what would be pushed and tagged, push nothing')
      .option('--force', 'overwrite an existing version tag that points at a different digest')
      .option('--backend <name>', 'native (built-in client) or oras (an installed oras CLI)', 'native')
      .option('--timeout <ms>', 'timeout per request in milliseconds', '60000')
      .option(
        '--concurrency <n>',
        `artifacts published at once (1 to ${MAX_CONCURRENCY}); artifacts of one repository always go one after another`,
        String(DEFAULT_CONCURRENCY),
      )
      .option('--index <file>', 'also add or update a falcoctl index.yaml entry for every artifact published')
      .addOption(
        repeatableOption('--mount-from <repository>', 'a repository of the same registry to mount missing blobs from, e.g. acme/falco-rules-staging', 'none'),
      )
      .option('--to <oci:DIR>', 'publish into local OCI layouts instead of a registry: DIR/<artifact name>, with the same tags');
    addIndexMetadataOptions(addCredentialOptions(command))
      .addOption(formatOption(['text', 'json'], 'text or json'))
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops publish                                  # every environment in out/oci
  falco-gitops publish --env production --dry-run       # what would move, pushing nothing
  echo "$TOKEN" | falco-gitops publish --username ci --password-stdin
  falco-gitops publish --registry 127.0.0.1:5000        # push to a local mirror instead
  falco-gitops publish --registry ghcr.io --registry registry.eu.example   # two registries, one digest
  falco-gitops publish --index index.yaml --maintainer "Security <sec@acme.example>"
  falco-gitops publish --backend oras                   # the same bytes, pushed by an installed oras
  falco-gitops publish --env production --to oci:./release  # try a release into a local OCI layout
  falco-gitops publish --concurrency 1                  # one artifact after another

Floating tags MAJOR.MINOR, MAJOR and latest move only when this version is the newest in that line;
pre-releases get only their own tag. Several registries (artifact.registries, defaults.registries or a
repeated --registry) get the same digest: first every registry gets the blobs, manifest and version
tag; only when all have it do floating tags move, registry by registry. A registry that fails leaves
every floating tag where it was (reported as pending) and the command exits 1 naming the request;
run it again to complete. Each artifact goes up blobs first, then its manifest, its version
tag and its floating tags; progress lines and the table are in environment order, whatever finished
first. Credentials, in order: --username/--password-stdin,
FALCO_GITOPS_REGISTRY_USERNAME/_PASSWORD, Docker's config.json (credHelpers, credsStore, auths).
FALCO_GITOPS_REGISTRY_HOST limits the first two to one registry host; no credential is ever sent to
another host (redirects, upload locations, token realms: see docs/security.md).
Custom CAs: NODE_EXTRA_CA_CERTS=/path/ca.pem. --index writes entries only for artifacts that were
published (not on --dry-run); the index metadata flags are those of \`falco-gitops index\`.

Before anything is pushed, each artifact is compared with what the working tree builds now (same
revision and time): an out/ built before the environment's version, repository or rules changed is
refused, with what changed; run build again.

Exit codes: 0 every artifact published (or would be, on --dry-run) · 1 an artifact failed to publish · 2 usage, layout or credentials error, or a layout older than the working tree`,
      )
      .action(async (flags: PublishFlags) => done(await runPublish(flags, io)));
  },
};

async function runPublish(flags: PublishFlags, io: CliIO): Promise<Outcome> {
  const format = parseFormat(flags.format, ['text', 'json'] as const);
  if (flags.backend !== 'native' && flags.backend !== 'oras') return usageError(`--backend must be native or oras, not '${flags.backend}'`);
  const timeoutMs = Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usageError(`--timeout must be a positive number of milliseconds`);
  const concurrency = Number(flags.concurrency);
  if (!/^\d+$/.test(flags.concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    return usageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not '${flags.concurrency}'`);
  const meta = indexMetadataFromFlags(flags);
  if (!meta.ok) return usageError(meta.message);
  const badMount = flags.mountFrom.find((r) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(r));
  if (badMount !== undefined) return usageError(`--mount-from takes a repository path without the registry host, not '${badMount}'`);
  let toDir: string | null = null;
  if (flags.to !== undefined) {
    if (!flags.to.startsWith('oci:') || flags.to.length === 4) return usageError(`--to must be oci:DIR, not '${flags.to}'`);
    if (flags.backend !== 'native' || flags.index) return usageError('--to oci:DIR writes local layouts; it cannot be combined with --backend oras or --index');
    toDir = resolve(io.cwd, flags.to.slice(4));
  }
  const opened = await openRegistryCredentials(flags, io);
  if (!opened.ok) return opened.outcome;
  const { secrets, forRegistry } = opened.value;
  const layoutDir = resolve(io.cwd, flags.layout);
  const layout = new LayoutStore(layoutDir);
  let entries;
  try {
    entries = await readLayoutIndex(layoutDir);
  } catch (err) {
    if (err instanceof OciError) return inputError(err.message);
    throw err;
  }
  const wanted = entries.filter((e) => flags.env.length === 0 || (e.environment !== null && flags.env.includes(e.environment)));
  const unknown = flags.env.filter((n) => !entries.some((e) => e.environment === n));
  if (unknown.length > 0) return usageError(`no artifact for environment(s) ${unknown.join(', ')} in ${flags.layout}`);
  const targets: PublishTarget[] = [];
  for (const entry of [...wanted].sort((a, b) => compareStrings(a.environment ?? '', b.environment ?? ''))) {
    const repositories = entry.repository ? publishRepositories(entry.repository, entry.mirrors, flags.registry, toDir !== null) : null;
    if (!repositories || !entry.version || !entry.environment)
      return inputError(`${flags.layout}: manifest ${entry.descriptor.digest} lacks its environment, repository or version annotation`);
    targets.push({ entry, environment: entry.environment, version: entry.version, repositories });
  }
  const fresh = await checkLayoutAgainstWorkingTree(layout, targets, flags.layout, io);
  if (fresh !== null) return fresh;
  const placeholder = toDir === null ? placeholderRegistryNote(targets.flatMap((t) => t.repositories.map((r) => r.repository))) : undefined;
  if (placeholder !== undefined) io.stderr(placeholder);
  const http = new HttpClient({ userAgent: USER_AGENT, timeoutMs, retry: DEFAULT_RETRY, secrets });
  const ledgers = new Map<string, BlobLedger>();
  const ledgerFor = (registry: string): BlobLedger => {
    const known = ledgers.get(registry);
    if (known) return known;
    const ledger = new BlobLedger();
    ledgers.set(registry, ledger);
    return ledger;
  };
  const openStore = async (t: PublishTarget['repositories'][number]): Promise<Store> => {
    if (toDir) return openLayoutTarget(join(toDir, artifactName(t.repository)));
    const credential = await forRegistry(t.registry);
    const plainHttp = Boolean(flags.plainHttp) || isLoopbackHost(t.registry);
    return flags.backend === 'oras'
      ? new OrasCliStore(t.repository, { plainHttp, secrets, credential, env: io.env, timeoutMs: Math.max(timeoutMs, 60_000) })
      : openRegistryStore({ registry: t.registry, repository: t.path, plainHttp: Boolean(flags.plainHttp) }, credential, http);
  };
  // reading the layout and credentials is local and quick: done first, in order, so every publish starts (and claims its blobs) in order
  const tasks: QueuedTask<{ reports: PublishReport[]; artifact: PackedArtifact | null }>[] = [];
  for (const t of targets) {
    const key = toDir ? `oci:${artifactName(t.repositories[0].repository)}` : t.repositories[0].repository;
    let artifact: PackedArtifact;
    try {
      artifact = await readLayoutArtifact(layout, t.entry);
    } catch (err) {
      if (!(err instanceof OciError)) throw err;
      const reports = t.repositories.map((r) => failedReport(t, r.repository, Boolean(flags.dryRun), err));
      tasks.push({
        key,
        run: async (log) => {
          log(`${t.environment}: failed: ${err.message}`);
          return { reports, artifact: null };
        },
      });
      continue;
    }
    const stores: RegistryTarget[] = [];
    for (const r of t.repositories) {
      // a registry whose credentials fail counts as one that failed before its version tag
      const store = await openStore(r).catch((err: unknown) => {
        if (!(err instanceof OciError)) throw err;
        return unreachableStore(r.repository, err);
      });
      stores.push({ store, ledger: ledgerFor(r.registry) });
    }
    const options = { force: Boolean(flags.force), dryRun: Boolean(flags.dryRun), mountFrom: flags.mountFrom };
    tasks.push({ key, run: async (log) => ({ reports: await publishToRegistries(stores, artifact, { ...options, onProgress: log }), artifact }) });
  }
  const published = await runTasks(tasks, concurrency, (line) => io.stderr(`${secrets.redact(line)}\n`));
  const reports = published.flatMap((p) => p.reports);
  const indexEntries: IndexEntry[] = [];
  published.forEach(({ reports: group, artifact }, i) => {
    if (group.some((r) => r.error || r.dryRun) || !artifact) return;
    indexEntries.push(
      indexEntryFor(
        {
          environment: targets[i].environment,
          repository: targets[i].repositories[0].repository,
          manifestAnnotations: readManifestAnnotations(artifact.manifest.bytes),
        },
        meta.value,
      ),
    );
  });
  let index: { file: string; entries: string[]; error: string | null } | null = null;
  if (flags.index && indexEntries.length > 0) {
    index = { file: flags.index, entries: indexEntries.map((e) => e.name), error: null };
    try {
      await writeIndexFile(resolve(io.cwd, flags.index), indexEntries);
    } catch (err) {
      if (!(err instanceof OciError)) throw err;
      index.error = err.message;
    }
  }
  io.stdout(secrets.redact(format === 'json' ? renderJson(reports, index) : renderTable(reports, index)));
  return reports.some((r) => r.error) || index?.error ? FINDINGS : CLEAN;
}

/**
 * The repositories one artifact goes to: with --registry, its repository path on each registry
 * named; else the configured repository and its mirrors. A local layout takes the first only.
 */
function publishRepositories(repository: string, mirrors: string[], registries: string[], local: boolean): PublishTarget['repositories'] | null {
  const all = registries.length > 0 ? registries.map((r) => onRegistry(repository, r)) : [repository, ...mirrors];
  const out: PublishTarget['repositories'] = [];
  for (const r of local ? all.slice(0, 1) : all) {
    const split = r === null ? null : splitRepository(r);
    if (r === null || split === null) return null;
    if (!out.some((o) => o.repository === r)) out.push({ repository: r, registry: split.registry, path: split.repository });
  }
  return out;
}

function failedReport(t: PublishTarget, repository: string, dryRun: boolean, error: OciError): PublishReport {
  return {
    environment: t.environment,
    target: `${repository}:${t.version}`,
    version: t.version,
    digest: t.entry.descriptor.digest,
    blobs: [],
    tags: [],
    dryRun,
    status: 'failed',
    error,
  };
}

/** A store every call of which fails with `error`: a registry that could not be opened. */
function unreachableStore(label: string, error: OciError): Store {
  const fail = (): never => {
    throw error;
  };
  return {
    label,
    exists: async () => fail(),
    fetch: async () => fail(),
    push: async () => fail(),
    resolve: async () => fail(),
    tag: async () => fail(),
    listTags: () => ({
      [Symbol.asyncIterator]: () => ({ next: async () => fail() }),
    }),
  };
}

/** Refuses (exit 2) a layout that is not what the working tree builds now; null when it is, or when there is no working tree to compare. */
async function checkLayoutAgainstWorkingTree(layout: LayoutStore, targets: PublishTarget[], layoutFlag: string, io: CliIO): Promise<Outcome | null> {
  const artifacts: PackedArtifact[] = [];
  for (const t of targets) {
    try {
      artifacts.push(await readLayoutArtifact(layout, t.entry));
    } catch (err) {
      // an unreadable artifact fails its own publish below, with the layout's message
      if (!(err instanceof OciError)) throw err;
    }
  }
  const check = checkOutFreshness(io.cwd, artifacts);
  if (check.ok) return null;
  if ('error' in check) return inputError(check.error);
  const lines = check.stale.map((s) => `  ${s.environment}: ${s.reason}`);
  return inputError(
    [`${layoutFlag} is stale: it does not match the working tree, so nothing was published.`, ...lines, 'Run `falco-gitops build` again, then publish.'].join(
      '\n',
    ),
  );
}

const RESULT_WORDS: Record<PublishStatus, string> = {
  published: 'published',
  unchanged: 'unchanged (the registry already had it)',
  'would-publish': 'dry run',
  failed: 'FAILED',
};

type IndexOutcome = { file: string; entries: string[]; error: string | null } | null;

async function openLayoutTarget(dir: string): Promise<LayoutStore> {
  const store = new LayoutStore(dir);
  try {
    await store.ensureLayout();
  } catch (err) {
    throw new OciError({ kind: 'invalid-content', message: `cannot create the OCI layout ${dir}: ${(err as Error).message}` }, { cause: err });
  }
  return store;
}

function renderJson(reports: PublishReport[], index: IndexOutcome): string {
  const artifacts = reports.map((r) => ({ ...r, error: r.error ? r.error.toJSON() : null }));
  return `${JSON.stringify({ schemaVersion: 1, artifacts, ...(index ? { index } : {}) }, null, 2)}\n`;
}

function tagNote(t: PublishedTag): string {
  switch (t.action) {
    case 'held':
      return ` (held by ${t.by})`;
    case 'pending':
      return ' (pending)';
    case 'unchanged':
      return ' (unchanged)';
    case 'moved':
      return ' (moved)';
    case 'created':
      return '';
  }
}

function renderTable(reports: PublishReport[], index: IndexOutcome): string {
  const rows = [['ENVIRONMENT', 'TARGET', 'DIGEST', 'BLOBS', 'TAGS', 'RESULT']];
  for (const r of reports) {
    const n = (o: string) => r.blobs.filter((b) => b.outcome === o).length;
    const blobs = `${n('uploaded') + n('would-upload')} pushed, ${n('mounted')} mounted, ${n('present')} skipped`;
    const tags = r.tags.map((t) => `${t.tag}${tagNote(t)}`).join(', ');
    const waiting = r.tags.find((t) => t.action === 'pending');
    const result = r.error
      ? `FAILED: ${r.error.message}`
      : waiting
        ? `version only: floating tags wait until ${waiting.by} has ${r.version} (run publish again)`
        : RESULT_WORDS[r.status];
    rows.push([r.environment, r.target, r.digest.slice(0, 19), blobs, tags || '-', result]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const table = rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
  if (!index) return table;
  return `${table}${index.error ? `index: FAILED: ${index.error}` : `index: ${index.file} updated (${index.entries.join(', ')})`}\n`;
}
