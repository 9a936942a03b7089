/** The `diff` command's Report and its pull-request comment (Markdown: a table per environment, details folded, bounded). */
import { changeMarkdown, escapeMarkdownText, escapeTableCell, type Report, type ReportTable, type ValueChange } from '../../report/index.js';
import { bumpReasons } from './classify-bump.js';
import { groupIdentical, groupLabel, type DiffEnvironmentsResult, type EnvironmentDiff } from './environment-diff.js';
import type { DiffChange } from './ruleset-diff.js';

export const DIFF_SCHEMA_VERSION = 1;

/** Tables and sections show environments that ended up identical once, as `a, b (identical)`; the JSON data keeps one entry per environment. */
export function buildDiffReport(result: DiffEnvironmentsResult, tool: Report['tool'], refs: { base: string; head: string }): Report {
  const groups = groupIdentical(result.environments);
  const table: ReportTable = {
    title: `Effective changes ${refs.base} → ${refs.head}`,
    columns: ['environment', 'status', 'changes', 'bump', 'version'],
    rows: groups.map((g) => [groupLabel(g), g[0].status, g[0].diff.changes.length, g[0].bump, versionCell(g[0])]),
  };
  const details: ReportTable[] = groups
    .filter((g) => g[0].diff.changes.length > 0)
    .map((g) => ({
      title: `${groupLabel(g)}: changes`,
      columns: ['bump', 'change'],
      rows: g[0].diff.changes.map((c) => [bumpOf(c), describeChange(c)]),
      details: g[0].diff.changes.flatMap((c, row) => (valueChanges(c).length > 0 ? [{ row, changes: valueChanges(c) }] : [])),
    }));
  const diagnostics = [...result.diagnostics, ...result.environments.flatMap((e) => e.diagnostics)];
  const passed = !diagnostics.some((d) => d.severity === 'error');
  return {
    command: 'diff',
    tool,
    diagnostics,
    findings: [],
    checks: [],
    summary: {
      passed,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      notes: 0,
      suppressed: 0,
    },
    tables: [table, ...details],
    data: {
      schemaVersion: DIFF_SCHEMA_VERSION,
      base: refs.base,
      head: refs.head,
      environments: result.environments.map(({ diagnostics: _d, ...rest }) => rest),
      identical: groups.filter((g) => g.length > 1).map((g) => g.map((e) => e.environment)),
    },
  };
}

/** The PR comment: summary table, then one folded section per changed environment; cut at `maxChars` with a note. */
export function renderDiffMarkdown(result: DiffEnvironmentsResult, refs: { base: string; head: string }, maxChars = 60_000): string {
  const groups = groupIdentical(result.environments);
  const head = [
    `### Falco rules: effective changes \`${refs.base}\` → \`${refs.head}\``,
    '',
    '| environment | status | changes | bump | version |',
    '| --- | --- | --- | --- | --- |',
    ...groups.map(
      ([e, ...rest]) =>
        `| ${escapeTableCell(groupLabel([e, ...rest]))} | ${e.status}${e.headLoads ? '' : ' ❌ does not load'} | ${e.diff.changes.length} | **${e.bump}** | ${escapeTableCell(versionCell(e))} |`,
    ),
  ].join('\n');
  const sections = groups
    .filter((g) => g[0].diff.changes.length > 0)
    .map(([e, ...rest]) =>
      [
        '',
        `<details><summary>${escapeHtml(groupLabel([e, ...rest]))}: ${e.diff.changes.length} change(s), ${e.bump}</summary>`,
        '',
        ...e.diff.changes.map((c) =>
          [`- ${bumpOf(c)}: ${escapeMarkdownText(describeChange(c))}`, ...valueChanges(c).map((v) => `  <br>${changeMarkdown(v).replace(/\n/g, '\n  ')}`)].join(
            '\n',
          ),
        ),
        '',
        '</details>',
      ].join('\n'),
    );
  let out = head;
  let shown = 0;
  for (const s of sections) {
    if (out.length + s.length + 200 > maxChars) break;
    out += '\n' + s;
    shown++;
  }
  if (shown < sections.length)
    out += `\n\n> Cut to stay under ${maxChars} characters: ${sections.length - shown} environment section(s) left out. Run \`falco-gitops diff --format json\` for everything.`;
  return out + '\n';
}

function versionCell(e: EnvironmentDiff): string {
  if (e.currentVersion === null) return '';
  return e.suggestedVersion === e.currentVersion ? e.currentVersion : `${e.currentVersion} → ${e.suggestedVersion}`;
}

function bumpOf(c: DiffChange): string {
  const reasons = bumpReasons(c);
  return reasons.some((r) => r.bump === 'major') ? 'major' : reasons.some((r) => r.bump === 'minor') ? 'minor' : reasons.length > 0 ? 'patch' : 'none';
}

/** The values a change is about, word by word (item by item for a list). */
export function valueChanges(c: DiffChange): ValueChange[] {
  switch (c.kind) {
    case 'rule-condition-changed':
    case 'macro-changed':
      return [{ label: 'condition', parts: c.words }];
    case 'rule-output-changed':
      return [{ label: 'output', parts: c.words }];
    case 'list-items-changed':
      return [{ label: 'items', parts: c.words }];
    default:
      return [];
  }
}

/** One line per change, in words. */
export function describeChange(c: DiffChange): string {
  switch (c.kind) {
    case 'rule-added':
      return `rule \`${c.rule}\` added`;
    case 'rule-removed':
      return `rule \`${c.rule}\` removed`;
    case 'rule-enabled':
      return `rule \`${c.rule}\` enabled`;
    case 'rule-disabled':
      return `rule \`${c.rule}\` disabled`;
    case 'rule-source-changed':
      return `rule \`${c.rule}\` source ${c.before} → ${c.after}`;
    case 'rule-condition-changed':
      return `rule \`${c.rule}\` compiled condition changed`;
    case 'rule-events-changed':
      return `rule \`${c.rule}\` event types${c.gained.length ? ` gained ${c.gained.join(', ')}` : ''}${c.lost.length ? ` lost ${c.lost.join(', ')}` : ''}`;
    case 'rule-priority-changed':
      return `rule \`${c.rule}\` priority ${c.before} → ${c.after}`;
    case 'rule-tags-changed':
      return `rule \`${c.rule}\` tags${c.added.length ? ` +${c.added.join(' +')}` : ''}${c.removed.length ? ` -${c.removed.join(' -')}` : ''}`;
    case 'rule-output-changed':
      return `rule \`${c.rule}\` output changed${c.fieldsAdded.length ? ` (+${c.fieldsAdded.join(' +')})` : ''}${c.fieldsRemoved.length ? ` (-${c.fieldsRemoved.join(' -')})` : ''}`;
    case 'rule-exceptions-changed':
      return `rule \`${c.rule}\` exceptions${c.added.length ? ` added ${c.added.join(', ')}` : ''}${c.removed.length ? ` removed ${c.removed.join(', ')}` : ''}${c.changed.length ? ` changed ${c.changed.join(', ')}` : ''}`;
    case 'rule-description-changed':
      return `rule \`${c.rule}\` description changed`;
    case 'macro-added':
      return `macro \`${c.macro}\` added`;
    case 'macro-removed':
      return `macro \`${c.macro}\` removed`;
    case 'macro-changed':
      return `macro \`${c.macro}\` condition changed`;
    case 'macro-events-changed':
      return `macro \`${c.macro}\` event types${c.gained.length ? ` gained ${c.gained.join(', ')}` : ''}${c.lost.length ? ` lost ${c.lost.join(', ')}` : ''}`;
    case 'list-added':
      return `list \`${c.list}\` added`;
    case 'list-removed':
      return `list \`${c.list}\` removed`;
    case 'list-items-changed':
      return `list \`${c.list}\`${c.added.length ? ` +${c.added.join(' +')}` : ''}${c.removed.length ? ` -${c.removed.join(' -')}` : ''}`;
    case 'engine-version-changed':
      return `required engine version ${c.before ?? 'none'} → ${c.after ?? 'none'}`;
    default:
      return bumpReasons(c)[0]?.message ?? c.kind;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
