/** Per environment, the effective difference between two revisions of a repository. */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../diagnostics/index.js';
import { loadRepositoryConfig, resolveLayers, type EnvironmentConfig, type RepositoryReader } from '../../config/index.js';
import { cachingReader, createRenderCache, loadRules, renderRulesFile, type CompiledRuleset, type RenderCache, type SourceFile } from '../../rules/index.js';
import { classifyBump, nextVersion } from './classify-bump.js';
import { diffRulesets } from './diff-rulesets.js';
import type { Bump, RulesetDiff } from './ruleset-diff.js';

export interface EnvironmentDiff {
  environment: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  diff: RulesetDiff;
  bump: Bump;
  /** The version the head configuration declares (base's for a removed environment). */
  currentVersion: string | null;
  /** The version the bump suggests from currentVersion. */
  suggestedVersion: string | null;
  /** Whether Falco would load each side. */
  baseLoads: boolean;
  headLoads: boolean;
  /** sha256 of the rules file each side renders to (without its header, which names the environment); null for a side that does not exist. */
  rulesDigest: { base: string | null; head: string | null };
  diagnostics: Diagnostic[];
}

export interface DiffEnvironmentsResult {
  environments: EnvironmentDiff[];
  /** Configuration problems on either side. */
  diagnostics: Diagnostic[];
}

export function diffEnvironments(base: RepositoryReader, head: RepositoryReader, only?: readonly string[]): DiffEnvironmentsResult {
  const baseConfig = loadRepositoryConfig(base);
  const headConfig = loadRepositoryConfig(head);
  const diagnostics = [...baseConfig.diagnostics, ...headConfig.diagnostics];
  const baseEnvs = new Map((baseConfig.config?.environments ?? []).map((e) => [e.name, e]));
  const headEnvs = new Map((headConfig.config?.environments ?? []).map((e) => [e.name, e]));
  const names = [...new Set([...baseEnvs.keys(), ...headEnvs.keys()])].filter((n) => only === undefined || only.length === 0 || only.includes(n)).sort();
  const read = cachingReader();
  const renderCache = createRenderCache();
  const environments: EnvironmentDiff[] = [];
  for (const name of names) {
    const b = baseEnvs.get(name);
    const h = headEnvs.get(name);
    const before = b ? loadEnvironment(b, base, read) : null;
    const after = h ? loadEnvironment(h, head, read) : null;
    const empty = loadRules([]);
    const diff = diffRulesets(before?.ruleset ?? empty, after?.ruleset ?? empty);
    const bump = classifyBump(diff);
    const currentVersion = (h ?? b)?.version ?? null;
    environments.push({
      environment: name,
      status: !b ? 'added' : !h ? 'removed' : diff.changes.length > 0 ? 'changed' : 'unchanged',
      diff,
      bump,
      currentVersion,
      suggestedVersion: currentVersion === null ? null : nextVersion(currentVersion, bump),
      baseLoads: before?.ruleset.ok ?? true,
      headLoads: after?.ruleset.ok ?? true,
      rulesDigest: { base: before ? rulesDigest(before.ruleset, renderCache) : null, head: after ? rulesDigest(after.ruleset, renderCache) : null },
      diagnostics: after ? after.diagnostics : [],
    });
  }
  return { environments, diagnostics };
}

function rulesDigest(ruleset: CompiledRuleset, cache: RenderCache): string {
  return `sha256:${createHash('sha256').update(renderRulesFile(ruleset, { cache })).digest('hex')}`;
}

/**
 * Environments that ended up identical, in order of their first member: the same status, version,
 * and rules file on each side (so the same changes). Clusters of one template that differ only by
 * name fall into one group; every other environment is a group of one.
 */
export function groupIdentical(environments: readonly EnvironmentDiff[]): EnvironmentDiff[][] {
  const groups = new Map<string, EnvironmentDiff[]>();
  for (const e of environments) {
    const key = JSON.stringify([e.status, e.currentVersion, e.suggestedVersion, e.headLoads, e.rulesDigest.base, e.rulesDigest.head]);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

/** A group's name for tables and headings: `a, b (identical)` for several, the name for one. */
export function groupLabel(group: readonly EnvironmentDiff[]): string {
  return group.length === 1 ? group[0].environment : `${group.map((e) => e.environment).join(', ')} (identical)`;
}

function loadEnvironment(
  env: EnvironmentConfig,
  reader: RepositoryReader,
  read: ReturnType<typeof cachingReader>,
): { ruleset: CompiledRuleset; diagnostics: Diagnostic[] } {
  const layers = resolveLayers(env, reader);
  const files: SourceFile[] = layers.files.map((path) => ({ path, text: reader.readText(path) ?? '' }));
  const ruleset = loadRules(files, { read });
  return { ruleset, diagnostics: [...layers.diagnostics, ...ruleset.diagnostics.filter((d) => d.severity === 'error')] };
}
