import { dirname, join, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { LayoutStore, OciError, readLayoutArtifact, readLayoutIndex, splitRepository, type LayoutEntry } from '../oci/index.js';
import {
  DELIVERY_TARGETS,
  DEFAULT_HOURLY_BUDGET,
  renderManifests,
  suggestFollowInterval,
  type DeliveryTarget,
  type ManifestFile,
  type PinnedArtifact,
} from '../manifests/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { parseFormat, type CliCommand } from './command.js';
import { CLEAN, inputError, usageError, type Outcome } from './exit.js';
import { onRegistry } from './falcoctl-index.js';
import type { CliIO } from './io.js';
import { compareStrings } from '../config/compare-paths.js';
import { envOption, repeatableOption } from './options.js';

interface ManifestsFlags {
  layout: string;
  env: string[];
  for: string[];
  out?: string;
  pin: string;
  registry?: string;
  pullSecret?: string;
  plainHttp?: boolean;
  followers: string;
  budget: string;
  format: string;
}

const LAYER_TITLE = 'org.opencontainers.image.title';

export const manifestsCommand: CliCommand = {
  name: 'manifests',
  register(program: Command, io: CliIO, done) {
    program
      .command('manifests')
      .description(
        "Write what deploys each environment's artifact, pinned to its version or digest: Helm values for the falcosecurity/falco chart, a Falco Operator Rulesfile, a falcoctl.yaml",
      )
      .option('--layout <dir>', 'OCI layout written by build --out DIR (at DIR/oci): the version and digest pinned', 'out/oci')
      .addOption(envOption('only this environment', 'every environment in the layout'))
      .addOption(repeatableOption('--for <target>', DELIVERY_TARGETS.join(', '), 'all three'))
      .option('--out <dir>', 'write <env>/<target>/… under DIR instead of printing')
      .option('--pin <mode>', 'version (tag; follow picks up a re-tag) or digest (immutable)', 'version')
      .option('--registry <host>', 'reference the artifact on this registry host (a mirror near the cluster)')
      .option('--pull-secret <name>', 'Kubernetes Secret with username/password keys for a private registry (operator)')
      .option('--plain-http', 'the registry speaks plain HTTP (operator)')
      .option('--followers <n>', 'falcoctl followers across the fleet (nodes running Falco), for the follow interval', '1')
      .option('--budget <n>', 'registry requests per hour the whole fleet may make when following', String(DEFAULT_HOURLY_BUDGET))
      .option('--format <format>', 'text or json', 'text')
      .addHelpText(
        'after',
        `
Layout of --out DIR, one folder per environment (or cluster) and delivery path:
  DIR/<env>/helm/values.yaml           helm upgrade --install falco falcosecurity/falco -f …
  DIR/<env>/operator/rulesfile.yaml    Falco Operator Rulesfile (+ kustomization.yaml)
  DIR/<env>/falcoctl/falcoctl.yaml     falcoctl artifact follow --config …
Argo CD ApplicationSets (git directory generator, path DIR/*/operator) and Flux Kustomizations
(path ./DIR/<env>/operator) point at these folders.

The follow interval is the shortest whole number of hours that keeps followers × 2 requests per
check under --budget requests per hour, between 1h and falcoctl's own default of 168h.

Examples:
  falco-gitops manifests --env production
  falco-gitops manifests --for helm --pin digest --out deploy/
  falco-gitops manifests --followers 4000 --registry mirror.eu.example --format json

Exit codes: 0 manifests written · 2 usage or input error (no built artifact for the environment, bad flag)`,
      )
      .action(async (flags: ManifestsFlags) => done(await runManifests(flags, io)));
  },
};

async function runManifests(flags: ManifestsFlags, io: CliIO): Promise<Outcome> {
  const format = parseFormat(flags.format, ['text', 'json'] as const);
  const badTarget = flags.for.find((t) => !(DELIVERY_TARGETS as readonly string[]).includes(t));
  if (badTarget !== undefined) return usageError(`--for must be one of ${DELIVERY_TARGETS.join(', ')}, not '${badTarget}'`);
  const targets: DeliveryTarget[] = flags.for.length === 0 ? [...DELIVERY_TARGETS] : DELIVERY_TARGETS.filter((t) => flags.for.includes(t));
  if (flags.pin !== 'version' && flags.pin !== 'digest') return usageError(`--pin must be version or digest, not '${flags.pin}'`);
  const followers = positiveInteger(flags.followers);
  const budget = positiveInteger(flags.budget);
  if (followers === null) return usageError(`--followers must be a whole number ≥ 1, not '${flags.followers}'`);
  if (budget === null) return usageError(`--budget must be a whole number ≥ 1, not '${flags.budget}'`);
  if (flags.pullSecret !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(flags.pullSecret))
    return usageError(`--pull-secret must be a Kubernetes Secret name, not '${flags.pullSecret}'`);

  const layoutDir = resolve(io.cwd, flags.layout);
  let artifacts: PinnedArtifact[];
  try {
    const entries = await readLayoutIndex(layoutDir);
    const unknown = flags.env.filter((n) => !entries.some((e) => e.environment === n));
    if (unknown.length > 0) return usageError(`no artifact for environment(s) ${unknown.join(', ')} in ${flags.layout} (run build --out first)`);
    const wanted = entries.filter((e) => flags.env.length === 0 || (e.environment !== null && flags.env.includes(e.environment)));
    artifacts = [];
    for (const entry of newestPerEnvironment(wanted)) {
      const pinned = await pinnedArtifact(new LayoutStore(layoutDir), entry, flags);
      if (typeof pinned === 'string') return inputError(`${flags.layout}: ${pinned}`);
      artifacts.push(pinned);
    }
  } catch (err) {
    if (err instanceof OciError) return inputError(err.message);
    throw err;
  }
  const interval = suggestFollowInterval(followers, budget);
  const options = { pin: flags.pin, pullSecret: flags.pullSecret ?? null, followEvery: interval.every, plainHttp: Boolean(flags.plainHttp) } as const;
  const files: ManifestFile[] = artifacts.flatMap((a) => renderManifests(a, targets, options));

  if (flags.out !== undefined) {
    const outDir = resolve(io.cwd, flags.out);
    for (const file of files) {
      const path = join(outDir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, file.content);
    }
  }
  if (format === 'json') {
    const data = {
      follow: interval,
      environments: artifacts.map((a) => ({
        ...a,
        files: files.filter((f) => f.path.startsWith(`${a.environment}/`)).map((f) => (flags.out === undefined ? f : { path: f.path })),
      })),
    };
    io.stdout(`${JSON.stringify({ tool: 'falco-gitops', command: 'manifests', data }, null, 2)}\n`);
  } else if (flags.out === undefined) {
    for (const file of files) io.stdout(`--- ${file.path}\n${file.content}`);
    io.stderr(`follow every ${interval.every}: ${interval.reason}\n`);
  } else {
    for (const file of files) io.stdout(`wrote ${join(flags.out, file.path)}\n`);
    io.stdout(`follow every ${interval.every}: ${interval.reason}\n`);
  }
  return CLEAN;
}

/** A layout may hold several versions of one environment; the manifests pin the last one listed (build writes one). */
function newestPerEnvironment(entries: LayoutEntry[]): LayoutEntry[] {
  const byEnv = new Map<string, LayoutEntry>();
  for (const e of entries) if (e.environment !== null) byEnv.set(e.environment, e);
  return [...byEnv.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, e]) => e);
}

async function pinnedArtifact(layout: LayoutStore, entry: LayoutEntry, flags: ManifestsFlags): Promise<PinnedArtifact | string> {
  const repository = entry.repository ? onRegistry(entry.repository, flags.registry) : null;
  if (!repository || !splitRepository(repository) || !entry.version || !entry.environment)
    return `manifest ${entry.descriptor.digest} lacks its environment, repository or version annotation`;
  const artifact = await readLayoutArtifact(layout, entry);
  const manifest = JSON.parse(new TextDecoder().decode(artifact.manifest.bytes)) as { layers?: { annotations?: Record<string, string> }[] };
  // the layer title is "<rules file>.tar.gz" (falcoctl unpacks the archive into rulesfilesDir)
  const title = manifest.layers?.[0]?.annotations?.[LAYER_TITLE];
  const rulesFileName = title?.endsWith('.tar.gz') ? title.slice(0, -'.tar.gz'.length) : undefined;
  if (rulesFileName === undefined || !/^[^/\\]+$/.test(rulesFileName)) return `manifest ${entry.descriptor.digest} names no rules file in its layer`;
  return { environment: entry.environment, repository, version: entry.version, digest: entry.descriptor.digest, rulesFileName };
}

function positiveInteger(text: string): number | null {
  return /^\d{1,9}$/.test(text) && Number(text) >= 1 ? Number(text) : null;
}
