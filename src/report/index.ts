export {
  isListed,
  summarizeFindings,
  type CheckDescriptor,
  type Finding,
  type FindingSeverity,
  type FixedProblem,
  type Report,
  type ReportChart,
  type ReportTable,
  type ValueChange,
  type WordPart,
} from './model.js';
export { compareWithBase } from './baseline.js';
export { changeMarkdown, changeTextLines } from './render-changes.js';
export { renderText } from './render-text.js';
export { renderJson, renderJsonDocument } from './render-json.js';
export { renderMarkdown } from './render-markdown.js';
export { escapeMarkdownText, escapeTableCell } from './markdown-text.js';
export { renderSarif } from './render-sarif.js';
export { renderReport, REPORT_FORMATS } from './render-report.js';
export { renderTestResults } from './render-rule-tests.js';
export { renderSummary } from './render-alert-summary.js';
export { renderReplay, replayReportModel } from './render-replay.js';
