/** GitHub Actions integration (annotations, outputs, step summary, event payload), the ci report, the release job and the sticky PR comment. */
export {
  defuseWorkflowCommands,
  guardedWriter,
  escapeData,
  escapeProperty,
  formatAnnotation,
  limitAnnotations,
  reportAnnotations,
  type Annotation,
} from './workflow-commands.js';
export { readGitHubContext, readEventPayload, pullRequestOf } from './github-context.js';
export { formatOutput, parseOutputs, appendOutputs, appendStepSummary } from './step-files.js';
export { buildCiReport, ciOutputs } from './ci-report.js';
export { changeScope } from './change-scope.js';
export { changedRuleCosts } from './cost-chart.js';
export { decideRelease, latestReleaseTag } from './release-plan.js';
export { runRelease, targetRepositories, type ReleaseResult, type SignResult } from './release.js';
export { githubActionsSignature } from './falcoctl-index-signature.js';
export { upsertStickyComment, withMarker, REPORT_MARKER, type StickyCommentResult } from './sticky-comment.js';
export { engineRequirement } from '../environment/artifact-input.js';
