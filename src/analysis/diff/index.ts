export type { Bump, DiffChange } from './ruleset-diff.js';
export { bumpReasons, classifyBump, nextVersion } from './classify-bump.js';
export { groupIdentical, groupLabel, type DiffEnvironmentsResult, type EnvironmentDiff } from './environment-diff.js';
export { diffRulesets } from './diff-rulesets.js';
export { buildDiffReport, renderDiffMarkdown } from './diff-report.js';
