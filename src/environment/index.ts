export { type LoadedEnvironment } from './load-environment.js';
export { buildEnvironment, BUILD_MANIFEST_FILE, type BuiltEnvironment, type UpstreamVersion } from './build-environment.js';
export { explainRule, closestRuleName, type EnvironmentRuleset } from './explain-rule.js';
export { loadRepository, readUpstreamVersions, type RepositoryLoad } from './load-repository.js';
export { artifactInputFor, type ArtifactProvenance } from './artifact-input.js';
export { diffEnvironments } from './diff-environments.js';
export { runRepositoryTests } from './repository-tests.js';
export { renderExplanation } from './render-explanation.js';
export { upstreamStacks } from './upstream-stacks.js';
