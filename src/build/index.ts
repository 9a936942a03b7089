export { createRulesFileCache, sha256Hex, type RulesFileCache } from './rules-file-cache.js';
export { loadEnvironment, selectEnvironments, type LoadedEnvironment, type TargetLoad, type InputFile, type EnvironmentSelection } from './load-environment.js';
export { buildEnvironment, BUILD_MANIFEST_FILE, type BuildManifest, type BuiltEnvironment, type UpstreamVersion } from './build-environment.js';
export { explainRule, compareRules, closestRuleName, type RuleExplanation, type UsedMacro, type UsedList, type EnvironmentComparison, type EnvironmentRuleset } from './explain-rule.js';
export { loadRepository, readUpstreamVersions, type RepositoryLoad, type RepositoryLoadResult, type UpstreamVersionsResult } from './load-repository.js';
export { artifactInputFor, engineRequirement, type ArtifactProvenance } from './artifact-input.js';
