import { resolveLayers, type EnvironmentConfig, type RepositoryConfig } from '../config/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { compileRuleset, mergeRulesFiles, type CompiledRuleset } from '../rules/index.js';
import type { RulesFileCache } from './rules-file-cache.js';
import { targetLabel, type FalcoTarget } from '../targets/target.js';
import { semanticsOf } from '../targets/semantics.js';

export interface InputFile {
  path: string;
  sha256: string;
}

/** One environment's layers merged and compiled; `ruleset` is null when its layers could not be resolved. */
export interface LoadedEnvironment {
  environment: EnvironmentConfig;
  inputs: InputFile[];
  /** The ruleset compiled for the first target; null when its layers could not be resolved. */
  ruleset: CompiledRuleset | null;
  /** Layer problems, then every diagnostic of loading the rules; one that holds for some targets only names them. */
  diagnostics: Diagnostic[];
  /** One load per target of the environment's `falco:` block, in its order. */
  targets: TargetLoad[];
}

export interface TargetLoad {
  target: FalcoTarget;
  label: string;
  ruleset: CompiledRuleset;
}

/** Resolves the layers, reads each file through the shared cache (parse once), merges and compiles. */
/** Reads through the cache's reader (`createRulesFileCache(reader)`), so files shared by environments are read and parsed once. */
export function loadEnvironment(environment: EnvironmentConfig, cache: RulesFileCache): LoadedEnvironment {
  const layers = resolveLayers(environment, cache.reader);
  if (layers.diagnostics.length > 0) return { environment, inputs: [], ruleset: null, diagnostics: layers.diagnostics, targets: [] };
  const sources = layers.files.map((path) => cache.source(path)).filter((s) => s !== undefined);
  const files = sources.map((s) => cache.read(s));
  const targets = environment.falco.map((target): TargetLoad => {
    const semantics = semanticsOf(target);
    const merged = mergeRulesFiles(files, { mergeCache: cache.merge, engineVersion: semantics.engineVersion, isKnownField: semantics.isKnownField });
    return { target, label: targetLabel(target), ruleset: compileRuleset(merged, { cache: cache.compile, target: semantics }) };
  });
  return {
    environment,
    inputs: sources.map((s) => ({ path: s.path, sha256: s.sha256 })),
    ruleset: targets[0].ruleset,
    diagnostics: perTargetDiagnostics(targets),
    targets,
  };
}

/** Every target's diagnostics: one all targets raise appears once; any other once per target raising it, naming the target. */
function perTargetDiagnostics(targets: readonly TargetLoad[]): Diagnostic[] {
  if (targets.length === 1) return targets[0].ruleset.diagnostics;
  const keyOf = (d: Diagnostic) => JSON.stringify([d.code, d.severity, d.itemType, d.itemName, d.message, d.location]);
  const counts = new Map<string, number>();
  for (const t of targets) for (const key of new Set(t.ruleset.diagnostics.map(keyOf))) counts.set(key, (counts.get(key) ?? 0) + 1);
  const common = new Set<string>();
  const out: Diagnostic[] = [];
  for (const t of targets) {
    for (const d of t.ruleset.diagnostics) {
      const key = keyOf(d);
      if (counts.get(key) !== targets.length) out.push({ ...d, target: t.label, message: `${t.label}: ${d.message}` });
      else if (!common.has(key) && common.add(key)) out.push(d);
    }
  }
  return out;
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
