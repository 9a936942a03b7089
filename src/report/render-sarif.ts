import type { Loc } from '../diagnostics/index.js';
import { sortDiagnostics, sortFindings, type FindingSeverity, type Report } from './model.js';
import { compareStrings } from '../config/compare-paths.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help?: { text: string };
  defaultConfiguration: { level: FindingSeverity };
  properties?: { documentation: string };
}

/**
 * SARIF 2.1.0 for code-scanning upload: checks (and Falco's diagnostic codes) become `rules[]`,
 * each finding a result with a physical location (relative URI, 1-based line and column).
 */
export function renderSarif(r: Report): string {
  const rules: SarifRule[] = [...r.checks]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((c) => ({
      id: c.id,
      shortDescription: { text: c.summary },
      ...(c.rationale === undefined ? {} : { fullDescription: { text: c.rationale } }),
      ...(c.hint === undefined ? {} : { help: { text: c.hint } }),
      defaultConfiguration: { level: c.severity },
      ...(c.helpPath === undefined ? {} : { properties: { documentation: c.helpPath } }),
    }));
  const diagnostics = sortDiagnostics(r.diagnostics);
  for (const code of new Set(diagnostics.map((d) => d.code))) {
    if (rules.some((rule) => rule.id === code)) continue;
    const level = diagnostics.some((d) => d.code === code && d.severity === 'error') ? 'error' : 'warning';
    rules.push({ id: code, shortDescription: { text: `Falco load result ${code}` }, defaultConfiguration: { level } });
  }
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = [
    ...diagnostics.map((d) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code) ?? -1,
      level: d.severity,
      message: { text: d.message },
      locations: [physical(d.location)],
      ...(d.related === undefined ? {} : { relatedLocations: related(d.related) }),
      ...(d.hint === undefined ? {} : { properties: { hint: d.hint } }),
    })),
    ...sortFindings(r.findings).map((f) => ({
      ruleId: f.checkId,
      ruleIndex: ruleIndex.get(f.checkId) ?? -1,
      level: f.severity,
      message: { text: f.hint === undefined ? f.message : `${f.message}. Fix: ${f.hint}` },
      locations: [physical(f.location)],
      ...(f.related === undefined ? {} : { relatedLocations: related(f.related) }),
      partialFingerprints: { itemName: `${f.itemType}:${f.itemName}`, messageId: `${f.checkId}/${f.messageId}` },
      ...(f.environment === undefined ? {} : { properties: { environment: f.environment } }),
    })),
  ];
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: r.tool.name, version: r.tool.version, rules } },
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function physical(loc: Loc) {
  return {
    physicalLocation: {
      artifactLocation: { uri: toUri(loc.file) },
      region: { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column) },
    },
  };
}

function related(items: { message: string; location: Loc }[]) {
  return items.map((rel, id) => ({ id, message: { text: rel.message }, ...physical(rel.location) }));
}

/** A relative URI reference from a path: forward slashes, each segment percent-encoded. */
function toUri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}
