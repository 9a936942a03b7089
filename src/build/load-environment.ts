import { resolveLayers, type EnvironmentConfig, type RepositoryConfig, type RepositoryReader } from '../config/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { compileRuleset, mergeRulesFiles, type CompiledRuleset } from '../rules/index.js';
import type { RulesFileCache } from './rules-file-cache.js';

export interface InputFile {
  path: string;
  sha256: string;
}

/** One environment's layers merged and compiled; `ruleset` is null when its layers could not be resolved. */
export interface LoadedEnvironment {
  environment: EnvironmentConfig;
  inputs: InputFile[];
  ruleset: CompiledRuleset | null;
  /** Layer problems, then every diagnostic of loading the rules. */
  diagnostics: Diagnostic[];
}

/** Resolves the layers, reads each file through the shared cache (parse once), merges and compiles. */
export function loadEnvironment(environment: EnvironmentConfig, reader: RepositoryReader, cache: RulesFileCache): LoadedEnvironment {
  const layers = resolveLayers(environment, reader);
  if (layers.diagnostics.length > 0) return { environment, inputs: [], ruleset: null, diagnostics: layers.diagnostics };
  const sources = layers.files.map((path) => cache.source(path)).filter((s) => s !== undefined);
  const ruleset = compileRuleset(mergeRulesFiles(sources.map((s) => cache.read(s)), { mergeCache: cache.merge }), { cache: cache.compile });
  return {
    environment,
    inputs: sources.map((s) => ({ path: s.path, sha256: s.sha256 })),
    ruleset,
    diagnostics: ruleset.diagnostics,
  };
}

export type EnvironmentSelection = { ok: true; environments: EnvironmentConfig[] } | { ok: false; message: string };

/** The environments named (in the order given, each once; a template name stands for its clusters), or all of them when none is named. */
export function selectEnvironments(config: RepositoryConfig, names: readonly string[]): EnvironmentSelection {
  if (config.environments.length === 0) return { ok: false, message: 'no environments: expected environments/<name>/environment.yaml' };
  if (names.length === 0) return { ok: true, environments: config.environments };
  const known = config.environments.map((e) => e.name);
  const selected: EnvironmentConfig[] = [];
  for (const name of names) {
    const env = config.environments.find((e) => e.name === name);
    const clusters = config.environments.filter((e) => e.template?.name === name);
    if (!env && clusters.length > 0) {
      // a template's name selects every cluster made from it
      for (const c of clusters) if (!selected.includes(c)) selected.push(c);
      continue;
    }
    if (!env) return { ok: false, message: `unknown environment '${name}' (no environments/${name}/environment.yaml; known: ${known.join(', ')})` };
    if (!selected.includes(env)) selected.push(env);
  }
  return { ok: true, environments: selected };
}
