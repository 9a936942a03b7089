export { summarizeFindings, type CheckDescriptor, type Finding, type FindingSeverity, type Report, type ReportTable } from './model.js';
export { renderText } from './render-text.js';
export { renderJson, renderJsonDocument } from './render-json.js';
export { renderMarkdown } from './render-markdown.js';
export { escapeMarkdownText } from './markdown-text.js';
export { renderSarif } from './render-sarif.js';
export { renderReport, REPORT_FORMATS } from './render-report.js';
