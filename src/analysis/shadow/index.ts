export { findShadowedDefaults } from './find-shadowed-defaults.js';
export { mergeUpstream, type UpstreamRuleset, type UpstreamRule } from './upstream-ruleset.js';
export { type ShadowFinding } from './shadow-finding.js';
export { buildShadowReport, renderFieldViews, shadowFindingToFinding } from './shadow-report.js';
