export { findShadowedDefaults, type ShadowInput } from './find-shadowed-defaults.js';
export { buildUpstreamView, type UpstreamView, type ViewList, type ViewMacro, type ViewRule } from './upstream-view.js';
export { collectOurPatches, type OurPatch } from './our-patches.js';
export {
  SHADOW_SCHEMA_VERSION,
  type FieldView,
  type InheritedRule,
  type ShadowFinding,
  type ShadowItemType,
  type ShadowKind,
  type ShadowSeverity,
} from './shadow-finding.js';
export { buildShadowReport, renderFieldViews, shadowFindingToFinding } from './shadow-report.js';
