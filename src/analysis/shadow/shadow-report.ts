import type { Diagnostic } from '../../diagnostics/index.js';
import { changeTextLines, type Finding, type Report, type ValueChange, type WordPart } from '../../report/index.js';
import { itemParts, wordParts } from '../diff/word-diff.js';
import { SHADOW_SCHEMA_VERSION, type FieldView, type ShadowFinding } from './shadow-finding.js';

/**
 * The `upstream check` Report: one finding per shadowed default (the JSON data is the findings
 * themselves), and the errors Falco would report loading the new upstream with our files.
 */
export function buildShadowReport(findings: ShadowFinding[], tool: Report['tool'], diagnostics: Diagnostic[] = []): Report {
  const reportFindings = findings.map((f) => shadowFindingToFinding(f));
  const count = (s: ShadowFinding['severity']) => findings.filter((f) => f.severity === s).length;
  return {
    command: 'upstream check',
    tool,
    diagnostics,
    findings: reportFindings,
    checks: [
      { id: 'changed-underneath', summary: 'Upstream changed an item we replace', severity: 'warning' },
      { id: 'orphaned', summary: 'Upstream removed or renamed an item we override or append to', severity: 'error' },
      { id: 'inherited', summary: 'A new upstream rule now uses a macro or list we replace', severity: 'warning' },
      { id: 'hook-available', summary: 'Upstream now offers a tuning hook for a rule we replace', severity: 'note' },
    ],
    summary: {
      passed: count('error') + count('warning') + diagnostics.length === 0,
      errors: count('error') + diagnostics.length,
      warnings: count('warning'),
      notes: count('note'),
      suppressed: 0,
    },
    tables: [],
    data: { schemaVersion: SHADOW_SCHEMA_VERSION, findings },
  };
}

/** One shadowed default as a report finding on our item, with the upstream items as related locations; `checkIdPrefix` namespaces the check id in reports that mix checks (ci: `shadow/`). */
export function shadowFindingToFinding(f: ShadowFinding, checkIdPrefix = ''): Finding {
  return {
    checkId: `${checkIdPrefix}${f.kind}`,
    messageId: f.itemType,
    severity: f.severity,
    message: f.message,
    location: f.ours,
    itemType: f.itemType,
    itemName: f.itemName,
    ...(f.environment === undefined ? {} : { environment: f.environment }),
    hint: f.fix,
    ...(f.fields !== undefined && f.fields.length > 0 ? { changes: fieldChanges(f.fields) } : {}),
    related: [
      ...(f.base ? [{ message: `upstream (base) ${f.itemType} '${f.itemName}'`, location: f.base }] : []),
      ...(f.theirs ? [{ message: `upstream (new) ${f.itemType} '${f.renamedTo ?? f.itemName}'`, location: f.theirs }] : []),
    ],
  };
}

/**
 * The three-way view word by word: what upstream changed from the locked version to the new one,
 * and how ours differs from the new one (what our copy hides, what it adds). Labels name the field
 * unless `withField` is false.
 */
export function fieldChanges(fields: readonly FieldView[], withField = true): ValueChange[] {
  const label = (v: FieldView, what: string) => (withField ? `${v.field}, ${what}` : what);
  return fields.flatMap((v) => [
    ...(v.base === null ? [] : [{ label: label(v, 'upstream base → new'), parts: valueParts(v.base, v.theirs) }]),
    ...(v.ours === null ? [] : [{ label: label(v, 'new upstream → ours'), parts: valueParts(v.theirs, v.ours) }]),
  ]);
}

function valueParts(before: FieldView['base'], after: FieldView['base']): WordPart[] {
  if (Array.isArray(before) || Array.isArray(after)) return itemParts(asList(before), asList(after));
  if (typeof before === 'string' && typeof after === 'string') return wordParts(before, after);
  const b = show(before);
  const a = show(after);
  return b === a
    ? [{ op: 'same', text: b }]
    : [
        { op: 'removed', text: b },
        { op: 'added', text: a },
      ];
}

function asList(v: FieldView['base']): string[] {
  return Array.isArray(v) ? v : v === null ? [] : [String(v)];
}

function show(v: FieldView['base']): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : v === null ? '(not set)' : String(v).replace(/\s+/g, ' ').trim();
}

/** Values this long are shown only as differences: three copies of a long condition hide what changed. */
const SHORT_VALUE = 80;

/** The three-way view of a finding's fields, for text output: short values as they are, then the differences word by word, wrapped. */
export function renderFieldViews(f: ShadowFinding): string[] {
  const out: string[] = [];
  const line = (label: string, text: string) => changeTextLines({ label, parts: [{ op: 'same', text }] }, '      ');
  for (const v of f.fields ?? []) {
    out.push(`    ${v.field}:`);
    if (v.added || v.removed) out.push(...line('upstream added', show(v.added ?? [])), ...line('upstream removed', show(v.removed ?? [])));
    const sides = [
      ['base', v.base],
      ['theirs', v.theirs],
      ['ours', v.ours],
    ] as const;
    if (sides.every(([, value]) => show(value).length <= SHORT_VALUE)) for (const [label, value] of sides) out.push(...line(label, show(value)));
    for (const change of fieldChanges([v], false)) out.push(...changeTextLines(change, '      '));
  }
  for (const r of f.rules ?? []) out.push(`    ${r.reason === 'new' ? 'new rule' : 'now uses it'}: ${r.rule}`);
  return out;
}
