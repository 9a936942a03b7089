export type {
  ArtifactConfig,
  EnvironmentConfig,
  LayerSpec,
  LintLevel,
  LintSettings,
  Policy,
  PolicyCheckRef,
  RepositoryConfig,
  RepositoryDefaults,
  RepositoryReader,
} from './model.js';
export { CLUSTERS_DIR, CONFIG_FILE, ENVIRONMENT_FILE, ENVIRONMENTS_DIR } from './model.js';
export { loadRepositoryConfig, type LoadedConfig } from './load-config.js';
export { findUnknownCheckIds } from './policy.js';
export { resolveLayers, type ResolvedLayers } from './resolve-layers.js';
export { fsRepositoryReader } from './fs-repository-reader.js';
export { comparePaths, sortPaths } from './compare-paths.js';
export { closestName } from './closest-name.js';
export {
  createConfigValidator,
  readSchema,
  schemasDir,
  ENVIRONMENT_SCHEMA_FILE,
  DEFAULTS_SCHEMA_FILE,
  CLUSTER_SCHEMA_FILE,
  type ConfigValidator,
  type CheckedConfig,
} from './config-schema.js';
