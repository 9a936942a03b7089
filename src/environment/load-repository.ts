import { loadRepositoryConfig, type RepositoryConfig, type RepositoryReader } from '../config/index.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { LOCK_FILE_PATH, parseLockFile } from '../upstream/index.js';
import type { UpstreamVersion } from './build-environment.js';
import { loadEnvironment, selectEnvironments, type LoadedEnvironment } from './load-environment.js';
import type { FalcoTarget } from '../targets/target.js';
import { createRulesFileCache, type ParseRulesFile, type RulesFileCache } from './rules-file-cache.js';

export interface RepositoryLoad {
  config: RepositoryConfig;
  /** The selected environments, loaded; every file parsed once across all of them. */
  environments: LoadedEnvironment[];
  cache: RulesFileCache;
}

/**
 * Config, layers or environment names that are wrong: an input error (exit 2), with every
 * diagnostic that explains it. Problems Falco itself would report are in the loaded rulesets.
 */
export type RepositoryLoadResult = ({ ok: true } & RepositoryLoad) | { ok: false; message: string; diagnostics: Diagnostic[] };

export interface LoadRepositoryOptions {
  /** Replace every environment's own `falco:` targets. */
  targets?: readonly FalcoTarget[];
  /** Another revision's cache, so files equal in both are parsed and compiled once. */
  sharing?: RulesFileCache;
  /** How rules files are parsed (default: readRulesFile; with `sharing`, its parser). */
  parse?: ParseRulesFile;
}

/** The environments named (all when none is), every file read and parsed once across them. */
export function loadRepository(reader: RepositoryReader, names: readonly string[] = [], options: LoadRepositoryOptions = {}): RepositoryLoadResult {
  const { targets, sharing, parse } = options;
  const loaded = loadRepositoryConfig(reader);
  if (!loaded.config) return { ok: false, message: 'the repository configuration is invalid', diagnostics: loaded.diagnostics };
  const selection = selectEnvironments(loaded.config, names);
  if (!selection.ok) return { ok: false, message: selection.message, diagnostics: [] };
  const cache = createRulesFileCache(reader, sharing, parse);
  const environments = selection.environments.map((env) => loadEnvironment(targets ? { ...env, falco: [...targets] } : env, cache));
  const layerErrors = environments.filter((e) => e.ruleset === null).flatMap((e) => e.diagnostics);
  if (layerErrors.length > 0) return { ok: false, message: 'an environment names layers that do not resolve', diagnostics: layerErrors };
  return { ok: true, config: loaded.config, environments, cache };
}

export type UpstreamVersionsResult = { ok: true; upstream: UpstreamVersion[] } | { ok: false; diagnostics: Diagnostic[] };

/** The upstream rulesets recorded in rules/upstream/upstream.lock.yaml; none when there is no lock file. */
export function readUpstreamVersions(reader: RepositoryReader): UpstreamVersionsResult {
  const text = reader.readText(LOCK_FILE_PATH);
  if (text === undefined) return { ok: true, upstream: [] };
  const parsed = parseLockFile(text, LOCK_FILE_PATH);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  return { ok: true, upstream: parsed.lock.rulesets.map((r) => ({ name: r.name, version: r.version, file: r.file })) };
}
