export type { Bump, DiffChange } from './ruleset-diff.js';
export { bumpReasons, classifyBump, nextVersion } from './classify-bump.js';
export { diffEnvironments, groupIdentical, groupLabel, type DiffEnvironmentsResult, type EnvironmentDiff } from './diff-environments.js';
export { buildDiffReport, renderDiffMarkdown } from './diff-report.js';
