export {
  REPORT_SCHEMA_VERSION,
  sortDiagnostics,
  sortFindings,
  summarizeFindings,
  type CheckDescriptor,
  type Finding,
  type FindingSeverity,
  type Report,
  type ReportSummary,
  type ReportTable,
} from './model.js';
export { renderText, summaryLine } from './render-text.js';
export { renderJson } from './render-json.js';
export { renderMarkdown } from './render-markdown.js';
export { renderSarif } from './render-sarif.js';
export { renderReport, REPORT_FORMATS, type ReportFormat } from './render-report.js';
