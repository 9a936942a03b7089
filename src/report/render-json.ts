import { REPORT_SCHEMA_VERSION, sortDiagnostics, sortFindings, type Report } from './model.js';

/** The model itself, sorted, with a schema version: stable for machines. */
export function renderJson(r: Report): string {
  const out = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    ...r,
    diagnostics: sortDiagnostics(r.diagnostics),
    findings: sortFindings(r.findings),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** A command's JSON result that is not a `Report`: the same schema version first, then the data. */
export function renderJsonDocument(data: object): string {
  return JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, ...data }, null, 2) + '\n';
}
