export type { Bump, DiffChange, DiffChangeKind, RulesetDiff } from './ruleset-diff.js';
export { diffRulesets, outputFields } from './diff-rulesets.js';
export { bumpReasons, classifyBump, nextVersion, type BumpReason } from './classify-bump.js';
export { diffEnvironments, type DiffEnvironmentsResult, type EnvironmentDiff } from './diff-environments.js';
export { buildDiffReport, renderDiffMarkdown, describeChange, DIFF_SCHEMA_VERSION } from './diff-report.js';
