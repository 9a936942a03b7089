export { findShadowedDefaults } from './find-shadowed-defaults.js';
export { buildUpstreamView, type UpstreamView, type ViewRule } from './upstream-view.js';
export { type ShadowFinding } from './shadow-finding.js';
export { buildShadowReport, renderFieldViews, shadowFindingToFinding } from './shadow-report.js';
