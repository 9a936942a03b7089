import type { Report } from './model.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderSarif } from './render-sarif.js';
import { renderText } from './render-text.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Picks the renderer for a format. */
export function renderReport(r: Report, format: ReportFormat): string {
  const renderers: Record<ReportFormat, (r: Report) => string> = {
    text: renderText,
    json: renderJson,
    markdown: renderMarkdown,
    sarif: renderSarif,
  };
  return renderers[format](r);
}
