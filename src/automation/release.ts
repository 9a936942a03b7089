/**
 * The release job: for each environment whose effective ruleset changed since its last release
 * tag, build, publish, sign, write notes and an index entry, then tag. A tag is created only
 * after the artifact is published (and signed, when signing is asked for), so a failed release
 * is retried by the next run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderDiffMarkdown, type DiffEnvironmentsResult } from '../analysis/diff/index.js';
import { artifactInputFor, buildEnvironment, loadRepository, readUpstreamVersions, type BuiltEnvironment } from '../environment/index.js';
import type { CompiledRuleset } from '../rules/index.js';
import type { RepositoryReader } from '../config/index.js';
import { commitTime, createTag, listTags, openRepository, readRevision, type RevisionReader } from '../git/index.js';
import {
  indexEntryFor,
  packArtifact,
  publishArtifact,
  splitRepository,
  writeIndexFile,
  type CosignIdentity,
  type Descriptor,
  type IndexEntry,
  type PublishedTag,
  type RulesfileConfig,
  type Store,
} from '../oci/index.js';
import { decideRelease, latestReleaseTag, releaseTagName, type ReleaseDecision } from './release-plan.js';
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
  /** Publish to this registry host instead of the one configured (the repository path is kept). */
  registry?: string;
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
  registryTags?: PublishedTag[];
  /** The registry already held this version with these very bytes (shipped by `publish`): nothing pushed, only tagged. */
  alreadyPublished?: boolean;
  /** On a dry run, why the registry was not asked whether the version is already there. */
  registryNote?: string;
  notesFile?: string;
  gitTag?: string;
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
    const repository = targetRepository(env.environment.artifact.repository, options.registry);
    const artifact = packArtifact(
      artifactInputFor(
        built,
        { repository, version: decision.version },
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
    let store: Store;
    let existing: Descriptor | null;
    try {
      store = await options.openStore(repository);
      existing = await store.resolve(decision.version);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      planned();
      if (options.dryRun) release.registryNote = `not checked (${why})`;
      else release.error = `publish failed: ${why}`;
      continue;
    }
    if (existing !== null && existing.digest !== artifact.manifest.descriptor.digest) {
      planned();
      release.error = `${repository}:${decision.version} already holds ${existing.digest}, not this build (${artifact.manifest.descriptor.digest}); raise the version in environment.yaml`;
      continue;
    }
    if (existing === null) planned();
    else progress(`${name}: ${decision.version} is already published with this content; tag only`);
    if (existing !== null) {
      // `publish` shipped these very bytes: the registry is left as it is, only the release tag is added
      release.alreadyPublished = true;
      release.digest = existing.digest;
      release.reference = `${repository}@${existing.digest}`;
      if (options.dryRun) continue;
      const tagName = releaseTagName(name, decision.version);
      const tagged = await createTag(repo, tagName, head.value.commit, `${name} ${decision.version}\n\n${release.reference}`);
      if (tagged.ok) release.gitTag = tagName;
      else release.error = tagged.message;
      continue;
    }
    if (options.dryRun) continue;
    const published = await publishArtifact(store, artifact);
    if (published.error) {
      release.error = `publish failed: ${published.error.message}`;
      continue;
    }
    release.digest = published.digest;
    release.reference = `${repository}@${published.digest}`;
    release.registryTags = published.tags;
    if (options.sign) {
      const signed = await options.sign(release.reference);
      if (!signed.ok) {
        release.error = `signing ${release.reference} failed: ${signed.message}`;
        continue;
      }
    }
    const tagName = releaseTagName(name, decision.version);
    if (options.notesDir !== null) {
      await mkdir(options.notesDir, { recursive: true });
      release.notesFile = join(options.notesDir, `${name}.md`);
      const notes = previous === null ? firstReleaseNotes(built, env.ruleset, release.reference) : releaseNotes(diff, previous.tag, tagName, release.reference);
      await writeFile(release.notesFile, notes, 'utf8');
    }
    entries.push(
      indexEntryFor(
        { environment: name, repository, manifestAnnotations: options.sourceUrl ? { 'org.opencontainers.image.source': options.sourceUrl } : {} },
        { description: env.environment.description, license: 'Apache-2.0', maintainers: [], ...(options.signature ? { signature: options.signature } : {}) },
      ),
    );
    const tagged = await createTag(repo, tagName, head.value.commit, `${name} ${decision.version}\n\n${release.reference}`);
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

/** The GitHub release body: the environment's effective changes since its last release. */
export function releaseNotes(diff: DiffEnvironmentsResult, previousTag: string, tag: string, reference: string): string {
  const body = renderDiffMarkdown(diff, { base: previousTag, head: tag });
  return `${body}\nArtifact: \`${reference}\`\n`;
}

/** The body of an environment's first release: what it holds and what it needs, not a diff against nothing. */
export function firstReleaseNotes(built: BuiltEnvironment, ruleset: CompiledRuleset, reference: string): string {
  const { manifest } = built;
  const upstream = new Map(manifest.upstream.map((u) => [u.file, u]));
  const enabled = ruleset.rules.filter((r) => r.enabled).length;
  const plugins = manifest.requiredPluginVersions.map((p) => `${p.name} ${p.version}`);
  const requires = [
    ...(manifest.requiredEngineVersion !== null ? [`Falco engine version ${manifest.requiredEngineVersion}`] : []),
    ...(plugins.length > 0 ? [`plugins ${plugins.join(', ')}`] : []),
  ];
  return [
    `### \`${manifest.environment}\` ${manifest.version}: first release`,
    '',
    `The first release of environment \`${manifest.environment}\`: ${ruleset.rules.length} rules (${enabled} enabled), ${ruleset.macros.length} macros and ${ruleset.lists.length} lists, from these layers in load order:`,
    '',
    ...manifest.inputs.map((i) => {
      const u = upstream.get(i.path);
      return `- \`${i.path}\`${u ? ` (upstream ${u.name} ${u.version})` : ''}`;
    }),
    '',
    ...(requires.length > 0 ? [`Requires ${requires.join('; ')}.`, ''] : []),
    `Artifact: \`${reference}\``,
    '',
  ].join('\n');
}

/** The configured repository, on another registry host when one is given. */
export function targetRepository(configured: string, registry: string | undefined): string {
  if (registry === undefined) return configured;
  const split = splitRepository(configured);
  return `${registry}/${split?.repository ?? configured}`;
}
