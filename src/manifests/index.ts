export * from './model.js';
export { suggestFollowInterval, DEFAULT_HOURLY_BUDGET, type FollowInterval } from './follow-interval.js';
export { helmValues } from './render-helm.js';
export { operatorRulesfile } from './render-operator.js';
export { falcoctlConfig } from './render-falcoctl.js';
export { renderManifests } from './render-manifests.js';
export { artifactRef } from './references.js';
