/**
 * `alerts summarize`: the most frequent alerts grouped by rule and sanitised output, then by the
 * fields that usually explain noise, with a suggested exception for the top groups. Streaming:
 * counts are aggregated as lines arrive, distinct groups are capped.
 */
import { stringify } from 'yaml';
import type { CompiledRule } from '../rules/index.js';
import { parseAlertLine } from './alert.js';
import type { FieldValue } from './event.js';
import { compareStrings } from '../config/compare-paths.js';

/** Fields that usually explain a noisy alert, in the order a suggestion prefers them. */
export const NOISE_FIELDS = ['proc.name', 'proc.pname', 'container.image.repository', 'fd.name', 'proc.exepath'] as const;
const PROCESS_FIELDS = ['proc.name', 'proc.exepath'];
const TARGET_FIELDS = ['fd.name', 'container.image.repository'];

/** Strips what varies between otherwise identical alerts: timestamps, ids, numbers, terminals, addresses. */
export function sanitizeOutput(output: string): string {
  return output
    .replace(/^\d{2}:\d{2}:\d{2}\.\d+:\s*/, '')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>')
    .replace(/\b[0-9a-f]{12,64}\b/g, '<id>')
    .replace(/\b(pts|tty)\/?\d+\b/g, '<tty>')
    .replace(/\b\d+\b/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface FieldGroup {
  fields: Record<string, string>;
  alerts: number;
}

export interface OutputGroup {
  rule: string;
  output: string;
  alerts: number;
  example: string;
}

export interface Suggestion {
  rule: string;
  fields: Record<string, string>;
  alerts: number;
  /** How the snippet tunes the rule. */
  via: 'macro' | 'exception' | 'override-append';
  /** A YAML overlay snippet for the environment. */
  snippet: string;
}

export interface RuleSummary {
  rule: string;
  priority: string;
  alerts: number;
  outputs: OutputGroup[];
  byFields: FieldGroup[];
}

export interface AlertSummary {
  lines: number;
  alerts: number;
  malformed: number;
  rules: RuleSummary[];
  suggestions: Suggestion[];
  /** Notes on groups for which no narrow exception could be suggested. */
  notes: string[];
}

export interface SummaryOptions {
  /** Rules per summary, output groups and field groups per rule, suggestions. */
  top: number;
  /** Cap on distinct groups kept per rule (the rest count as "other"). */
  maxGroupsPerRule?: number;
}

interface RuleState {
  priority: string;
  alerts: number;
  outputs: Map<string, { alerts: number; example: string }>;
  fields: Map<string, number>;
}

export interface SummaryAccumulator {
  addLine(text: string): void;
  summary(ruleset: SummaryRuleset): AlertSummary;
}

/** What suggestions need to know of the ruleset the alerts are tuned in (empty when none is given). */
export interface SummaryRuleset {
  rules: readonly CompiledRule[];
  macros: readonly { name: string; condition: string }[];
}

const OTHER = '(other)';

export function createSummaryAccumulator(options: SummaryOptions): SummaryAccumulator {
  const maxGroups = options.maxGroupsPerRule ?? 5000;
  const rules = new Map<string, RuleState>();
  let lines = 0;
  let alerts = 0;
  let malformed = 0;
  const bump = <V>(map: Map<string, V>, key: string, create: () => V, update: (v: V) => void) => {
    let v = map.get(key);
    if (v === undefined) {
      if (map.size >= maxGroups) key = OTHER;
      v = map.get(key);
      if (v === undefined) {
        v = create();
        map.set(key, v);
      }
    }
    update(v);
  };
  return {
    addLine(text) {
      if (text.trim() === '') return;
      lines++;
      const parsed = parseAlertLine(text);
      if (!parsed.ok) {
        malformed++;
        return;
      }
      alerts++;
      const a = parsed.alert;
      const ruleName = rules.has(a.rule) || rules.size < maxGroups ? a.rule : OTHER;
      let state = rules.get(ruleName);
      if (!state) {
        state = { priority: a.priority, alerts: 0, outputs: new Map(), fields: new Map() };
        rules.set(ruleName, state);
      }
      state.alerts++;
      bump(
        state.outputs,
        sanitizeOutput(a.output),
        () => ({ alerts: 0, example: a.output }),
        (g) => g.alerts++,
      );
      const key = JSON.stringify(NOISE_FIELDS.map((f) => scalarText(a.fields[f])));
      const fieldMap = state.fields;
      const current = fieldMap.get(key);
      if (current !== undefined) fieldMap.set(key, current + 1);
      else if (fieldMap.size < maxGroups) fieldMap.set(key, 1);
      else fieldMap.set(OTHER, (fieldMap.get(OTHER) ?? 0) + 1);
    },
    summary(ruleset) {
      const byName = new Map(ruleset.rules.map((r) => [r.name, r]));
      const macros = new Map(ruleset.macros.map((m) => [m.name, m.condition]));
      const ranked = [...rules.entries()].sort((a, b) => b[1].alerts - a[1].alerts || compareStrings(a[0], b[0]));
      const summaries: RuleSummary[] = ranked.slice(0, options.top).map(([rule, s]) => ({
        rule,
        priority: s.priority,
        alerts: s.alerts,
        outputs: [...s.outputs.entries()]
          .sort((a, b) => b[1].alerts - a[1].alerts || compareStrings(a[0], b[0]))
          .slice(0, options.top)
          .map(([output, g]) => ({ rule, output, alerts: g.alerts, example: g.example })),
        byFields: topFieldGroups(s.fields, options.top),
      }));
      const suggestions: Suggestion[] = [];
      const notes: string[] = [];
      const groups = summaries.flatMap((s) => s.byFields.map((g) => ({ rule: s.rule, group: g }))).sort((a, b) => b.group.alerts - a.group.alerts);
      for (const { rule, group } of groups) {
        if (suggestions.length >= options.top) break;
        const s = suggestException(rule, group, byName.get(rule), macros);
        if (s.kind === 'ok') suggestions.push(s.suggestion);
        else notes.push(s.note);
      }
      return { lines, alerts, malformed, rules: summaries, suggestions, notes };
    },
  };
}

function scalarText(v: FieldValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'object' ? v.join(',') : String(v);
}

function topFieldGroups(map: Map<string, number>, top: number): FieldGroup[] {
  return [...map.entries()]
    .filter(([k]) => k !== OTHER)
    .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
    .slice(0, top)
    .map(([key, alerts]) => {
      const values = JSON.parse(key) as (string | null)[];
      const fields: Record<string, string> = {};
      NOISE_FIELDS.forEach((f, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) fields[f] = v;
      });
      return { fields, alerts };
    });
}

type SuggestResult = { kind: 'ok'; suggestion: Suggestion } | { kind: 'none'; note: string };

/** Process plus file or image: narrow enough that the rule still catches everything else. */
function suggestException(rule: string, group: FieldGroup, compiled: CompiledRule | undefined, macros: Map<string, string>): SuggestResult {
  const proc = PROCESS_FIELDS.find((f) => group.fields[f] !== undefined);
  const target = TARGET_FIELDS.find((f) => group.fields[f] !== undefined);
  if (!proc || !target) {
    return {
      kind: 'none',
      note: `${rule}: ${group.alerts} alerts share only ${Object.keys(group.fields).join(', ') || 'no explaining field'}; an exception on the process alone would hide the detection`,
    };
  }
  const fields = [proc, target];
  const values = fields.map((f) => group.fields[f]);
  const picked: Record<string, string> = Object.fromEntries(fields.map((f, i) => [f, values[i]]));
  const macro = compiled ? findUserKnownMacro(compiled.condition, macros) : undefined;
  if (macro) {
    const clause = fields.map((f, i) => `${f} = ${quoteValue(values[i])}`).join(' and ');
    const snippet = stringify([{ macro, condition: `or (${clause})`, override: { condition: 'append' } }]);
    return { kind: 'ok', suggestion: { rule, fields: picked, alerts: group.alerts, via: 'macro', snippet } };
  }
  const existing = compiled?.exceptions.find((e) => {
    const fs = Array.isArray(e.fields) ? e.fields : e.fields === undefined ? [] : [e.fields];
    return fs.length === fields.length && fs.every((f, i) => f === fields[i]);
  });
  if (existing) {
    const snippet = stringify([{ rule, exceptions: [{ name: existing.name, values: [values] }], override: { exceptions: 'append' } }]);
    return { kind: 'ok', suggestion: { rule, fields: picked, alerts: group.alerts, via: 'exception', snippet } };
  }
  const name = `known_${values.map((v) => v.replace(/^.*\//, '').replace(/[^A-Za-z0-9]+/g, '_')).join('_')}`.toLowerCase();
  const snippet = stringify([{ rule, exceptions: [{ name, fields, comps: ['=', '='], values: [values] }], override: { exceptions: 'append' } }]);
  return { kind: 'ok', suggestion: { rule, fields: picked, alerts: group.alerts, via: 'override-append', snippet } };
}

/** Quotes a value for a Falco condition when it holds characters the lexer would split on. */
function quoteValue(v: string): string {
  return /^[^\s()"'=,]+$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The first `user_known_*` macro the condition reaches, directly or through other macros. */
function findUserKnownMacro(condition: string, macros: Map<string, string>): string | undefined {
  const seen = new Set<string>();
  const queue = [condition];
  while (queue.length > 0) {
    const text = queue.shift() as string;
    for (const [name] of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      if (seen.has(name) || !macros.has(name)) continue;
      seen.add(name);
      if (name.startsWith('user_known_')) return name;
      queue.push(macros.get(name) as string);
    }
  }
  return undefined;
}
