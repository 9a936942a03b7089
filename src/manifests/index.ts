export * from './model.js';
export { suggestFollowInterval, DEFAULT_HOURLY_BUDGET } from './follow-interval.js';
export { renderManifests } from './render-manifests.js';
