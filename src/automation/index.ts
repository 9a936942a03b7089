/** GitHub Actions integration (annotations, outputs, step summary, event payload), the ci report, the release job and the sticky PR comment. */
export { ANNOTATIONS_PER_STEP, defuseWorkflowCommands, guardedWriter, escapeData, escapeProperty, formatAnnotation, limitAnnotations, reportAnnotations, type Annotation, type AnnotationLevel } from './workflow-commands.js';
export { readGitHubContext, readEventPayload, pullRequestOf, type GitHubContext, type PullRequestInfo, type EventRead } from './github-context.js';
export { formatOutput, parseOutputs, appendOutputs, appendStepSummary } from './step-files.js';
export { buildCiReport, ciOutputs, CI_SCHEMA_VERSION, type CiData, type CiGate, type CiParts, type EnvironmentVersion, type GateName } from './ci-report.js';
export { decideRelease, latestReleaseTag, releaseTagName, type ReleaseDecision, type ReleaseInput, type ReleaseTag } from './release-plan.js';
export { runRelease, releaseNotes, targetRepository, type ReleaseOptions, type ReleaseResult, type EnvironmentRelease, type SignResult } from './release.js';
export { githubActionsSignature } from './index-signature.js';
export { upsertStickyComment, withMarker, nextPage, REPORT_MARKER, MAX_COMMENT_CHARS, type StickyCommentOptions, type StickyCommentResult } from './sticky-comment.js';
export { engineRequirement } from '../build/artifact-input.js';
