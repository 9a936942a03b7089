import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_RETRY,
  HttpClient,
  LayoutStore,
  OciError,
  OrasCliStore,
  SecretSet,
  openRegistryStore,
  publishArtifact,
  readLayoutArtifact,
  readLayoutIndex,
  resolveCredential,
  splitRepository,
  type Credential,
  type PublishReport,
  type Store,
} from '../oci/index.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, FINDINGS, inputError, usageError, type Outcome } from './exit.js';
import type { CliIO } from './io.js';

interface PublishFlags {
  layout: string;
  env: string[];
  registry?: string;
  plainHttp?: boolean;
  dryRun?: boolean;
  force?: boolean;
  backend: string;
  username?: string;
  passwordStdin?: boolean;
  format: string;
  timeout: string;
}

export const publishCommand: CliCommand = {
  name: 'publish',
  register(program: Command, io: CliIO, done) {
    program
      .command('publish')
      .description('Push each environment\'s falcoctl rulesfile artifact from the OCI layout `build` wrote: blobs, manifest, version tag, then floating tags')
      .option('--layout <dir>', 'OCI layout written by build --out DIR (at DIR/oci)', 'out/oci')
      .option('--env <name>', 'only this environment (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option('--registry <host>', 'replace the registry host of every repository (mirrors, tests)')
      .option('--plain-http', 'use plain HTTP for a non-loopback registry (loopback always may)')
      .option('--dry-run', 'show what would be pushed and tagged, push nothing')
      .option('--force', 'overwrite an existing version tag that points at a different digest')
      .option('--backend <name>', 'native (built-in client) or oras (an installed oras CLI)', 'native')
      .option('--username <user>', 'registry user name (with --password-stdin)')
      .option('--password-stdin', 'read the registry password or token from standard input')
      .option('--timeout <ms>', 'timeout per request in milliseconds', '60000')
      .option('--format <format>', 'text or json', 'text')
      .addHelpText(
        'after',
        `
Examples:
  falco-gitops publish                                  # every environment in out/oci
  falco-gitops publish --env production --dry-run       # what would move, pushing nothing
  echo "$TOKEN" | falco-gitops publish --username ci --password-stdin
  falco-gitops publish --registry 127.0.0.1:5000        # push to a local mirror instead

Floating tags MAJOR.MINOR, MAJOR and latest move only when this version is the newest in that line;
pre-releases get only their own tag. Credentials, in order: --username/--password-stdin,
FALCO_GITOPS_REGISTRY_USERNAME/_PASSWORD, Docker's config.json (credHelpers, credsStore, auths).
Custom CAs: NODE_EXTRA_CA_CERTS=/path/ca.pem.`,
      )
      .action(async (flags: PublishFlags) => done(await runPublish(flags, io)));
  },
};

async function runPublish(flags: PublishFlags, io: CliIO): Promise<Outcome> {
  const format = parseFormat(flags.format, ['text', 'json'] as const);
  if (flags.backend !== 'native' && flags.backend !== 'oras') return usageError(`--backend must be native or oras, not '${flags.backend}'`);
  const timeoutMs = Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usageError(`--timeout must be a positive number of milliseconds`);
  if (flags.username && !flags.passwordStdin) return usageError('--username needs --password-stdin');
  let explicit: Credential | null = null;
  if (flags.passwordStdin) {
    if (!flags.username) return usageError('--password-stdin needs --username');
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (!password) return usageError('--password-stdin read an empty password');
    explicit = { username: flags.username, password };
  }
  const secrets = new SecretSet();
  if (explicit) secrets.addCredentials(explicit.username, explicit.password);
  const layoutDir = resolve(io.cwd, flags.layout);
  const layout = new LayoutStore(layoutDir);
  let entries;
  try {
    entries = await readLayoutIndex(layoutDir);
  } catch (err) {
    return inputError(err instanceof OciError ? err.message : String(err));
  }
  const wanted = entries.filter((e) => flags.env.length === 0 || (e.environment !== null && flags.env.includes(e.environment)));
  const unknown = flags.env.filter((n) => !entries.some((e) => e.environment === n));
  if (unknown.length > 0) return usageError(`no artifact for environment(s) ${unknown.join(', ')} in ${flags.layout}`);
  const reports: PublishReport[] = [];
  const knownBlobs = new Map<string, string>();
  const http = new HttpClient({ userAgent: 'falco-gitops/0.1.0', timeoutMs, retry: DEFAULT_RETRY, secrets });
  const dockerConfigPath = io.env.DOCKER_CONFIG ? join(io.env.DOCKER_CONFIG, 'config.json') : io.env.HOME ? join(io.env.HOME, '.docker', 'config.json') : null;
  const credentials = new Map<string, Credential | null>();
  for (const entry of wanted) {
    const target = entry.repository ? splitRepository(entry.repository) : null;
    if (!target || !entry.version || !entry.environment) return inputError(`${flags.layout}: manifest ${entry.descriptor.digest} lacks its environment, repository or version annotation`);
    const registry = flags.registry ?? target.registry;
    try {
      const artifact = await readLayoutArtifact(layout, entry);
      let store: Store;
      if (flags.backend === 'oras') {
        store = new OrasCliStore(`${registry}/${target.repository}`, { plainHttp: Boolean(flags.plainHttp) || registry.startsWith('127.') || registry.startsWith('localhost'), secrets });
      } else {
        if (!credentials.has(registry)) {
          const resolved = await resolveCredential(registry, { explicit, env: io.env, dockerConfigPath });
          credentials.set(registry, resolved.credential);
        }
        store = openRegistryStore({ registry, repository: target.repository, plainHttp: Boolean(flags.plainHttp) }, credentials.get(registry) ?? null, http);
      }
      const report = await publishArtifact(store, artifact, {
        force: Boolean(flags.force),
        dryRun: Boolean(flags.dryRun),
        knownBlobs,
        onProgress: (line) => io.stderr(`${secrets.redact(line)}\n`),
      });
      reports.push(report);
    } catch (err) {
      const e = err instanceof OciError ? err : new OciError({ kind: 'invalid-content', message: String(err) }, { cause: err });
      io.stderr(`${entry.environment}: failed: ${secrets.redact(e.message)}\n`);
      reports.push({ environment: entry.environment, target: `${registry}/${target.repository}:${entry.version}`, version: entry.version, digest: entry.descriptor.digest, blobs: [], tags: [], dryRun: Boolean(flags.dryRun), error: e });
    }
  }
  io.stdout(secrets.redact(format === 'json' ? renderJson(reports) : renderTable(reports)));
  return reports.some((r) => r.error) ? FINDINGS : CLEAN;
}

function renderJson(reports: PublishReport[]): string {
  return `${JSON.stringify({ schemaVersion: 1, artifacts: reports.map((r) => ({ ...r, error: r.error ? r.error.toJSON() : null })) }, null, 2)}\n`;
}

function renderTable(reports: PublishReport[]): string {
  const rows = [['ENVIRONMENT', 'TARGET', 'DIGEST', 'BLOBS', 'TAGS', 'RESULT']];
  for (const r of reports) {
    const n = (o: string) => r.blobs.filter((b) => b.outcome === o).length;
    const blobs = `${n('uploaded') + n('would-upload')} pushed, ${n('mounted')} mounted, ${n('present')} skipped`;
    const tags = r.tags.map((t) => `${t.tag}${t.action === 'held' ? ` (held by ${t.by})` : t.action === 'unchanged' ? ' (unchanged)' : t.action === 'moved' ? ' (moved)' : ''}`).join(', ');
    rows.push([r.environment, r.target, r.digest.slice(0, 19), blobs, tags || '-', r.error ? `FAILED: ${r.error.message}` : r.dryRun ? 'dry run' : 'ok']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
