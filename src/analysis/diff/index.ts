export type { Bump, DiffChange } from './ruleset-diff.js';
export { bumpReasons, classifyBump, nextVersion } from './classify-bump.js';
export type { DiffEnvironmentsResult, EnvironmentDiff } from './environment-diff.js';
export { groupLabel } from './environment-diff.js';
export { diffRulesets } from './diff-rulesets.js';
export { buildDiffReport, renderDiffMarkdown } from './diff-report.js';
