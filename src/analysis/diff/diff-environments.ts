/** Per environment, the effective difference between two revisions of a repository. */
import type { Diagnostic } from '../../diagnostics/index.js';
import { loadRepositoryConfig, resolveLayers, type EnvironmentConfig, type RepositoryReader } from '../../config/index.js';
import { cachingReader, loadRules, type CompiledRuleset, type SourceFile } from '../../rules/index.js';
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
      diagnostics: after ? after.diagnostics : [],
    });
  }
  return { environments, diagnostics };
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
