export type { Bump, DiffChange, DiffChangeKind, RulesetDiff } from './ruleset-diff.js';
export { diffRulesets, outputFields } from './diff-rulesets.js';
export { bumpReasons, classifyBump, nextVersion, type BumpReason } from './classify-bump.js';
export { diffEnvironments, type DiffEnvironmentsResult, type EnvironmentDiff } from './diff-environments.js';
