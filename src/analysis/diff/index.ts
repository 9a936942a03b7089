export type { Bump, DiffChange } from './ruleset-diff.js';
export { bumpReasons, classifyBump, nextVersion } from './classify-bump.js';
export { diffEnvironments, type DiffEnvironmentsResult } from './diff-environments.js';
export { buildDiffReport, renderDiffMarkdown } from './diff-report.js';
