/**
 * The release job: for each environment whose effective ruleset changed since its last release
 * tag, build, publish, sign, write notes and an index entry, then tag. A tag is created only
 * after the artifact is published (and signed, when signing is asked for), so a failed release
 * is retried by the next run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { groupLabel, renderDiffMarkdown, type DiffEnvironmentsResult, type EnvironmentDiff } from '../analysis/diff/index.js';
import { artifactInputFor, buildEnvironment, loadRepository, readUpstreamVersions, type BuiltEnvironment } from '../environment/index.js';
import type { CompiledRuleset } from '../rules/index.js';
import type { RepositoryReader } from '../config/index.js';
import { commitTime, createTag, listTags, openRepository, readRevision, type RevisionReader } from '../git/index.js';
import {
  indexEntryFor,
  packArtifact,
  publishToRegistries,
  splitRepository,
  writeIndexFile,
  type CosignIdentity,
  type IndexEntry,
  type PublishedTag,
  type PublishReport,
  type RulesfileConfig,
  type Store,
} from '../oci/index.js';
import { decideRelease, latestReleaseTag, releaseTagName, type ReleaseDecision, type ReleaseTag } from './release-plan.js';
import { verifyArtifact } from '../targets/verify.js';
import { diffEnvironments } from '../environment/index.js';

export type SignResult = { ok: true } | { ok: false; message: string };

export interface ReleaseOptions {
  /** The repository's top-level directory. */
  repoDir: string;
  /** The revision to release; default HEAD. */
  ref?: string;
  /** Only these environments (default: all). */
  environments?: readonly string[];
  /** A store for an artifact repository, e.g. "ghcr.io/acme/falco-rules-production". */
  openStore: (repository: string) => Promise<Store>;
  /** Publish to these registry hosts instead of the ones configured (the repository path is kept), the same digest on each. */
  registries?: readonly string[];
  /** Signs `<repository>@<digest>`; absent: unsigned. */
  sign?: (reference: string) => Promise<SignResult>;
  /** Where `<env>.md` release notes are written; null: none. */
  notesDir: string | null;
  /** The falcoctl index file to update; null: none. */
  indexFile: string | null;
  /** What followers verify, recorded in each index entry. */
  signature: CosignIdentity | null;
  /** For the manifest annotation and the index entry, e.g. "https://github.com/acme/rules". */
  sourceUrl?: string;
  /** Plan only: no publish, no notes, no index, no tag. */
  dryRun?: boolean;
  onProgress?: (line: string) => void;
}

export interface EnvironmentRelease {
  environment: string;
  decision: ReleaseDecision;
  /** Set when published: `<repository>@<digest>`. */
  reference?: string;
  digest?: string;
  /** Tags on the first registry (the one `reference` names). */
  registryTags?: PublishedTag[];
  /** One entry per registry, in order, when the artifact goes to several or one failed. */
  registries?: RegistryRelease[];
  /** The registry already held this version with these very bytes (shipped by `publish`): nothing pushed, only tagged. */
  alreadyPublished?: boolean;
  /** On a dry run, why the registry was not asked whether the version is already there. */
  registryNote?: string;
  notesFile?: string;
  gitTag?: string;
  error?: string;
}

/** How one registry of a release went. */
export interface RegistryRelease {
  repository: string;
  tags: PublishedTag[];
  error?: string;
}

export interface ReleaseResult {
  ok: boolean;
  commit: string;
  releases: EnvironmentRelease[];
  indexUpdated: boolean;
  /** Problems that stopped the run before any environment (a bad ref, an invalid configuration). */
  error?: string;
}

const EMPTY_REPOSITORY: RepositoryReader = { readText: () => undefined, listFiles: () => [] };

export async function runRelease(options: ReleaseOptions): Promise<ReleaseResult> {
  const repo = openRepository(options.repoDir);
  const progress = options.onProgress ?? (() => undefined);
  const head = await readRevision(repo, options.ref ?? 'HEAD');
  if (!head.ok) return { ok: false, commit: '', releases: [], indexUpdated: false, error: head.message };
  const load = loadRepository(head.value, options.environments ?? []);
  if (!load.ok) return { ok: false, commit: head.value.commit, releases: [], indexUpdated: false, error: load.message };
  const created = await commitTime(repo, head.value.commit);
  if (!created.ok) return { ok: false, commit: head.value.commit, releases: [], indexUpdated: false, error: created.message };
  const upstreamVersions = readUpstreamVersions(head.value);
  const upstream = upstreamVersions.ok ? upstreamVersions.upstream : [];
  const releases: EnvironmentRelease[] = [];
  const entries: IndexEntry[] = [];
  const published: PublishedRelease[] = [];
  for (const env of load.environments) {
    const name = env.environment.name;
    const tags = await listTags(repo, `${name}/v*`);
    if (!tags.ok) return { ok: false, commit: head.value.commit, releases, indexUpdated: false, error: tags.message };
    const previous = latestReleaseTag(name, tags.value);
    let base: RevisionReader | RepositoryReader = EMPTY_REPOSITORY;
    if (previous !== null) {
      const read = await readRevision(repo, previous.tag);
      if (!read.ok) return { ok: false, commit: head.value.commit, releases, indexUpdated: false, error: read.message };
      base = read.value;
    }
    const diff = diffEnvironments(base, head.value, [name]);
    const envDiff = diff.environments[0];
    const decision = decideRelease({
      environment: name,
      declaredVersion: env.environment.version,
      previous,
      changes: envDiff?.diff.changes.length ?? 0,
      bump: envDiff?.bump ?? 'none',
    });
    const release: EnvironmentRelease = { environment: name, decision };
    releases.push(release);
    if (decision.action === 'skip') {
      progress(`${name}: skip (${decision.reason})`);
      continue;
    }
    // said once the registry is asked: a version `publish` already shipped is no release to plan
    const planned = () => progress(`${name}: release ${decision.version} (${decision.reason})`);
    const refusing = env.targets.filter((t) => !t.ruleset.ok).map((t) => t.label);
    if (!env.ruleset || refusing.length > 0) {
      planned();
      if (options.dryRun) continue;
      release.error = `Falco would refuse the rules of ${name} (${refusing.join('; ') || 'layers do not resolve'}); nothing published`;
      continue;
    }
    const built = buildEnvironment({ ...env, environment: { ...env.environment, version: decision.version }, ruleset: env.ruleset }, upstream);
    const repositories = targetRepositories(env.environment.artifact.repositories, options.registries);
    const repository = repositories[0];
    const artifact = packArtifact(
      artifactInputFor(
        built,
        { repository, mirrors: repositories.slice(1), version: decision.version },
        { revision: head.value.commit, committedAt: created.value, source: options.sourceUrl ?? null },
      ),
    );
    // The preflight `verify` runs: the packed config and rules file, for every target of the environment.
    const config = JSON.parse(new TextDecoder().decode(artifact.config.bytes)) as RulesfileConfig;
    const failed = env.environment.falco
      .map((t) => verifyArtifact(config, [{ name: built.rulesFileName, bytes: new TextEncoder().encode(built.rulesFile) }], t))
      .filter((v) => !v.ok);
    if (failed.length > 0) {
      planned();
      release.error = `${name} would not install or load on ${failed.map((v) => `${v.target} (${v.problems.join('; ')})`).join(', ')}; nothing published`;
      continue;
    }
    const stores: { store: Store }[] = [];
    const unopened: string[] = [];
    for (const r of repositories) {
      try {
        stores.push({ store: await options.openStore(r) });
      } catch (err) {
        unopened.push(`cannot open ${r}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (unopened.length > 0) {
      planned();
      if (options.dryRun) release.registryNote = `not checked (${unopened.join('; ')})`;
      else release.error = `${unopened.join('; ')}; nothing published`;
      continue;
    }
    const held = await versionsHeld(stores, decision.version);
    if (!held.ok) {
      planned();
      if (options.dryRun) release.registryNote = `not checked (${held.message})`;
      else release.error = `publish failed: ${held.message}`;
      continue;
    }
    const other = held.digests.findIndex((d) => d !== null && d !== artifact.manifest.descriptor.digest);
    if (other >= 0) {
      planned();
      release.error = `${repositories[other]}:${decision.version} already holds ${held.digests[other]}, not this build (${artifact.manifest.descriptor.digest}); raise the version in environment.yaml`;
      continue;
    }
    if (held.digests.every((d) => d === artifact.manifest.descriptor.digest)) {
      // `publish` shipped these very bytes everywhere: the registries are left as they are, only the release tag is added
      progress(`${name}: ${decision.version} is already published with this content; tag only`);
      release.alreadyPublished = true;
      release.digest = artifact.manifest.descriptor.digest;
      release.reference = `${repository}@${release.digest}`;
      if (options.dryRun) continue;
      const tagName = releaseTagName(name, decision.version);
      const tagged = await createTag(repo, tagName, head.value.commit, `${name} ${decision.version}\n\n${release.reference}`);
      if (tagged.ok) release.gitTag = tagName;
      else release.error = tagged.message;
      continue;
    }
    planned();
    if (options.dryRun) continue;
    const reports = await publishToRegistries(stores, artifact);
    if (repositories.length > 1 || reports.some((p) => p.error)) release.registries = reports.map((p, i) => registryRelease(repositories[i], p));
    const failedOn = reports.map((p, i) => ({ p, repository: repositories[i] })).filter(({ p }) => p.error);
    if (failedOn.length > 0) {
      const why = failedOn.map(({ p, repository: r }) => (repositories.length > 1 ? `${r}: ${p.error!.message}` : p.error!.message)).join('; ');
      const pending = repositories.length > 1 ? `; floating tags wait until every registry has ${decision.version} (run release again)` : '';
      release.error = `publish failed: ${why}${pending}`;
      continue;
    }
    release.digest = reports[0].digest;
    release.reference = `${repository}@${reports[0].digest}`;
    release.registryTags = reports[0].tags;
    if (options.sign) {
      let unsigned: string | null = null;
      for (const r of repositories) {
        const signed = await options.sign(`${r}@${release.digest}`);
        if (!signed.ok) {
          unsigned = `signing ${r}@${release.digest} failed: ${signed.message}`;
          break;
        }
      }
      if (unsigned !== null) {
        release.error = unsigned;
        continue;
      }
    }
    if (envDiff)
      published.push({
        release,
        reference: release.reference,
        decision,
        diff: envDiff,
        previous,
        repository,
        description: env.environment.description,
        built,
        ruleset: env.ruleset,
      });
  }
  // notes first (one file per group of environments that ended up identical), then index entries and git tags
  if (options.notesDir !== null && published.length > 0) {
    await mkdir(options.notesDir, { recursive: true });
    for (const group of groupReleases(published)) {
      const file = join(options.notesDir, `${group[0].release.environment}.md`);
      await writeFile(file, releaseNotes(group), 'utf8');
      for (const p of group) p.release.notesFile = file;
    }
  }
  for (const { release, reference, decision, repository, description } of published) {
    const name = release.environment;
    entries.push(
      indexEntryFor(
        { environment: name, repository, manifestAnnotations: options.sourceUrl ? { 'org.opencontainers.image.source': options.sourceUrl } : {} },
        { description, license: 'Apache-2.0', maintainers: [], ...(options.signature ? { signature: options.signature } : {}) },
      ),
    );
    const tagName = releaseTagName(name, decision.version);
    const tagged = await createTag(repo, tagName, head.value.commit, `${name} ${decision.version}\n\n${reference}`);
    if (!tagged.ok) {
      release.error = tagged.message;
      continue;
    }
    release.gitTag = tagName;
  }
  let indexUpdated = false;
  if (options.indexFile !== null && entries.length > 0) {
    try {
      await writeIndexFile(options.indexFile, entries);
      indexUpdated = true;
    } catch (err) {
      const error = `cannot update the index file ${options.indexFile}: ${err instanceof Error ? err.message : String(err)}`;
      return { ok: false, commit: head.value.commit, releases, indexUpdated, error };
    }
  }
  return { ok: releases.every((r) => r.error === undefined), commit: head.value.commit, releases, indexUpdated };
}

/** An environment published and signed in this run, waiting for its notes, index entry and git tag. */
interface PublishedRelease {
  release: EnvironmentRelease;
  /** `<repository>@<digest>`. */
  reference: string;
  decision: ReleaseDecision & { action: 'publish' };
  diff: EnvironmentDiff;
  previous: ReleaseTag | null;
  repository: string;
  description: string;
  built: BuiltEnvironment;
  ruleset: CompiledRuleset;
}

/** Releases that ended up identical (the same rules file before and after, the same versions) share one notes file. */
function groupReleases(published: readonly PublishedRelease[]): PublishedRelease[][] {
  const groups = new Map<string, PublishedRelease[]>();
  for (const p of published) {
    const key = JSON.stringify([p.decision.version, p.previous?.version ?? null, p.diff.rulesDigest.base, p.diff.rulesDigest.head]);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()];
}

/**
 * The GitHub release body: the effective changes since the last release (or, for a first release,
 * what it holds and needs), once for a group of environments that ended up identical
 * (`a, b (identical)`), then each one's artifact.
 */
function releaseNotes(group: readonly PublishedRelease[]): string {
  const [first] = group;
  const artifacts =
    group.length === 1
      ? `Artifact: \`${first.reference}\`\n`
      : `Artifacts:\n\n${group.map((p) => `- ${p.release.environment}: \`${p.reference}\``).join('\n')}\n`;
  if (first.previous === null)
    return `${firstReleaseNotes(first.built, first.ruleset, group.length === 1 ? `\`${first.release.environment}\`` : groupLabel(group.map((p) => p.diff)))}\n${artifacts}`;
  const diff: DiffEnvironmentsResult = { environments: group.map((p) => p.diff), diagnostics: [] };
  const refs =
    group.length === 1
      ? { base: first.previous.tag, head: releaseTagName(first.release.environment, first.decision.version) }
      : { base: `v${first.previous.version}`, head: `v${first.decision.version}` };
  return `${renderDiffMarkdown(diff, refs)}\n${artifacts}`;
}

/** The body of a first release: what the environment holds and what it needs, not a diff against nothing. */
export function firstReleaseNotes(built: BuiltEnvironment, ruleset: CompiledRuleset, label = `\`${built.manifest.environment}\``): string {
  const { manifest } = built;
  const upstream = new Map(manifest.upstream.map((u) => [u.file, u]));
  const enabled = ruleset.rules.filter((r) => r.enabled).length;
  const plugins = manifest.requiredPluginVersions.map((p) => `${p.name} ${p.version}`);
  const requires = [
    ...(manifest.requiredEngineVersion !== null ? [`Falco engine version ${manifest.requiredEngineVersion}`] : []),
    ...(plugins.length > 0 ? [`plugins ${plugins.join(', ')}`] : []),
  ];
  return [
    `### ${label} ${manifest.version}: first release`,
    '',
    `The first release of ${label.includes(',') ? 'environments' : 'environment'} ${label}: ${ruleset.rules.length} rules (${enabled} enabled), ${ruleset.macros.length} macros and ${ruleset.lists.length} lists, from these layers in load order:`,
    '',
    ...manifest.inputs.map((i) => {
      const u = upstream.get(i.path);
      return `- \`${i.path}\`${u ? ` (upstream ${u.name} ${u.version})` : ''}`;
    }),
    '',
    ...(requires.length > 0 ? [`Requires ${requires.join('; ')}.`, ''] : []),
  ].join('\n');
}

/** The digest each registry's version tag names (null where it has none), asked before anything is pushed. */
async function versionsHeld(
  stores: readonly { store: Store }[],
  version: string,
): Promise<{ ok: true; digests: (string | null)[] } | { ok: false; message: string }> {
  const digests: (string | null)[] = [];
  for (const { store } of stores) {
    try {
      digests.push((await store.resolve(version))?.digest ?? null);
    } catch (err) {
      return { ok: false, message: `${store.label}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  return { ok: true, digests };
}

/** The configured repositories, or the first one's path on each registry host given. */
export function targetRepositories(configured: readonly string[], registries: readonly string[] | undefined): [string, ...string[]] {
  if (registries === undefined || registries.length === 0) return [configured[0], ...configured.slice(1)];
  const split = splitRepository(configured[0]);
  const moved = [...new Set(registries.map((r) => `${r}/${split?.repository ?? configured[0]}`))];
  return [moved[0], ...moved.slice(1)];
}

function registryRelease(repository: string, report: PublishReport): RegistryRelease {
  return { repository, tags: report.tags, ...(report.error ? { error: report.error.message } : {}) };
}
