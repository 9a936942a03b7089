export type { EnvironmentConfig, Policy, RepositoryConfig, RepositoryReader } from './model.js';
export { loadRepositoryConfig } from './load-config.js';
export { findUnknownCheckIds } from './policy.js';
export { resolveLayers } from './resolve-layers.js';
export { fsRepositoryReader, MAX_RULES_FILE_BYTES } from './fs-repository-reader.js';
export { sortPaths } from './compare-paths.js';
export { closestName } from './closest-name.js';
export { createConfigValidator, readSchema, schemasDir, ENVIRONMENT_SCHEMA_FILE, DEFAULTS_SCHEMA_FILE } from './config-schema.js';
