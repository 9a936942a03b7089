/** Per environment, the effective difference between two revisions of a repository, loaded as `build` loads them. */
import { loadRepositoryConfig, type EnvironmentConfig, type RepositoryConfig, type RepositoryReader } from '../config/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { classifyBump, diffRulesets, nextVersion, type DiffEnvironmentsResult, type EnvironmentDiff } from '../analysis/diff/index.js';
import { createRenderCache, loadRules, renderRulesFilePieces, type CompiledRuleset, type RenderCache } from '../rules/index.js';
import { compareStrings } from '../config/compare-paths.js';
import { loadEnvironment, type LoadedEnvironment } from './load-environment.js';
import { createRulesFileCache, sha256OfPieces } from './rules-file-cache.js';
import type { RepositoryLoad } from './load-repository.js';

/**
 * A side the caller already loaded (as `ci` has both) is reused, not parsed again. Base files
 * equal to the head's are parsed once either way.
 */
export function diffEnvironments(
  base: RepositoryReader,
  head: RepositoryReader,
  only: readonly string[] = [],
  loaded: { head?: RepositoryLoad; base?: RepositoryLoad } = {},
): DiffEnvironmentsResult {
  const headSide = loadSide(head, undefined, loaded.head);
  const baseSide = loadSide(base, headSide.cache, loaded.base);
  const baseEnvs = new Map((baseSide.config?.environments ?? []).map((e) => [e.name, e]));
  const headEnvs = new Map((headSide.config?.environments ?? []).map((e) => [e.name, e]));
  const names = [...new Set([...baseEnvs.keys(), ...headEnvs.keys()])].filter((n) => only.length === 0 || only.includes(n)).sort(compareStrings);
  const renderCache = createRenderCache();
  const environments = names.map((name): EnvironmentDiff => {
    const b = baseEnvs.get(name);
    const h = headEnvs.get(name);
    const before = b ? baseSide.load(b) : null;
    const after = h ? headSide.load(h) : null;
    const empty = loadRules([]);
    const diff = diffRulesets(rulesetOf(before) ?? empty, rulesetOf(after) ?? empty);
    const bump = classifyBump(diff);
    const currentVersion = (h ?? b)?.version ?? null;
    return {
      environment: name,
      status: !b ? 'added' : !h ? 'removed' : diff.changes.length > 0 ? 'changed' : 'unchanged',
      diff,
      bump,
      currentVersion,
      suggestedVersion: currentVersion === null ? null : nextVersion(currentVersion, bump),
      baseLoads: before === null || loads(before),
      headLoads: after === null || loads(after),
      rulesDigest: { base: rulesDigest(before, renderCache), head: rulesDigest(after, renderCache) },
      diagnostics: after ? after.diagnostics.filter((d) => d.severity === 'error') : [],
    };
  });
  return { environments, diagnostics: [...baseSide.diagnostics, ...headSide.diagnostics] };
}

interface Side {
  config: RepositoryConfig | null;
  cache: RepositoryLoad['cache'];
  diagnostics: Diagnostic[];
  load(env: EnvironmentConfig): LoadedEnvironment;
}

function loadSide(reader: RepositoryReader, sharing?: RepositoryLoad['cache'], loaded?: RepositoryLoad): Side {
  if (loaded) {
    const load = (env: EnvironmentConfig) => loaded.environments.find((e) => e.environment.name === env.name) ?? loadEnvironment(env, loaded.cache);
    return { config: loaded.config, cache: loaded.cache, diagnostics: [], load };
  }
  const { config, diagnostics } = loadRepositoryConfig(reader);
  const cache = createRulesFileCache(reader, sharing);
  return { config, cache, diagnostics, load: (env) => loadEnvironment(env, cache) };
}

/** The rules file an environment renders to, without the header naming it; null when it has none. */
function rulesDigest(env: LoadedEnvironment | null, cache: RenderCache): string | null {
  const ruleset = rulesetOf(env);
  return ruleset === null ? null : `sha256:${sha256OfPieces(renderRulesFilePieces(ruleset, { cache }))}`;
}

function rulesetOf(env: LoadedEnvironment | null): CompiledRuleset | null {
  return env?.ruleset ?? null;
}

function loads(env: LoadedEnvironment): boolean {
  return env.ruleset !== null && env.targets.every((t) => t.ruleset.ok);
}
