/**
 * Aggregates a stream of alert lines into a replay report with bounded memory: counts per rule,
 * counts of missing fields, and a few examples per rule and verdict.
 */
import { printCanonical } from '../condition/index.js';
import { parseAlertLine } from './alert.js';
import { replayAlert, type ReplayPlan, type ReplayVerdict, type RuleChange } from './replay.js';
import { truthName } from './truth.js';
import { compareStrings } from '../config/compare-paths.js';

export interface ReplayExample {
  line: number;
  output: string;
  /** The checks that decided the verdict, printed canonically (at most a few). */
  deciding: string[];
  missing: string[];
}

export interface RuleReplaySummary {
  rule: string;
  change: RuleChange | 'unknown-rule';
  alerts: number;
  fires: number;
  suppressed: number;
  undecided: number;
  /** Fields undecided alerts lacked, most frequent first. */
  missingFields: { field: string; alerts: number }[];
  examples: Record<ReplayVerdict, ReplayExample[]>;
}

export interface ReplayReport {
  /** Which ruleset the replay assumed raised the alerts. */
  base: string;
  candidate: string;
  lines: number;
  alerts: number;
  malformed: { count: number; examples: { line: number; message: string }[] };
  totals: Record<ReplayVerdict, number>;
  /** Rules with alerts, changed rules first, then by alert count. */
  rules: RuleReplaySummary[];
}

export interface ReplayAccumulator {
  addLine(text: string, lineNumber: number): void;
  report(): ReplayReport;
}

const MAX_DECIDING = 4;
const MAX_CHECK_TEXT = 240;
/** Distinct rule names kept; alerts naming further unknown rules are counted under one entry. */
const MAX_RULES = 10_000;
const OTHER_RULES = '(other rules not in either ruleset)';

/** A check printed canonically, shortened when a known sub-expression is long. */
export function describeCheck(expr: Parameters<typeof printCanonical>[0]): string {
  const text = printCanonical(expr);
  return text.length > MAX_CHECK_TEXT ? `${text.slice(0, MAX_CHECK_TEXT - 1)}…` : text;
}

export function createReplayAccumulator(plan: ReplayPlan, labels: { base: string; candidate: string }, examplesPerVerdict = 3): ReplayAccumulator {
  const rules = new Map<string, RuleReplaySummary & { missing: Map<string, number> }>();
  const totals: Record<ReplayVerdict, number> = { fires: 0, suppressed: 0, undecided: 0 };
  const malformed = { count: 0, examples: [] as { line: number; message: string }[] };
  let lines = 0;
  let alerts = 0;

  const summaryFor = (name: string, change: RuleChange | 'unknown-rule') => {
    const rule = rules.has(name) || rules.size < MAX_RULES || change !== 'unknown-rule' ? name : OTHER_RULES;
    let s = rules.get(rule);
    if (!s) {
      s = {
        rule,
        change,
        alerts: 0,
        fires: 0,
        suppressed: 0,
        undecided: 0,
        missingFields: [],
        examples: { fires: [], suppressed: [], undecided: [] },
        missing: new Map(),
      };
      rules.set(rule, s);
    }
    return s;
  };

  return {
    addLine(text, lineNumber) {
      if (text.trim() === '') return;
      lines++;
      const parsed = parseAlertLine(text);
      if (!parsed.ok) {
        malformed.count++;
        if (malformed.examples.length < examplesPerVerdict) malformed.examples.push({ line: lineNumber, message: parsed.message });
        return;
      }
      alerts++;
      const { alert } = parsed;
      const existing = rules.get(alert.rule);
      const wantExample = (v: ReplayVerdict) => !existing || existing.examples[v].length < examplesPerVerdict;
      const needExplain =
        !existing ||
        existing.examples.undecided.length < examplesPerVerdict ||
        existing.examples.suppressed.length < examplesPerVerdict ||
        existing.examples.fires.length < examplesPerVerdict;
      const result = replayAlert(plan, alert, needExplain);
      const verdict: ReplayVerdict = result?.verdict ?? 'undecided';
      const s = summaryFor(alert.rule, result?.change ?? 'unknown-rule');
      s.alerts++;
      s[verdict]++;
      totals[verdict]++;
      const missing = result?.explanation?.missing ?? [];
      if (verdict === 'undecided') for (const f of missing) s.missing.set(f, (s.missing.get(f) ?? 0) + 1);
      if (wantExample(verdict) && s.examples[verdict].length < examplesPerVerdict) {
        const deciding = result?.explanation?.deciding ?? [];
        s.examples[verdict].push({
          line: lineNumber,
          output: alert.output,
          deciding: deciding.slice(0, MAX_DECIDING).map((d) => `${describeCheck(d.expr)} → ${truthName(d.truth)}`),
          missing: result ? missing : ['(rule not in either ruleset)'],
        });
      }
    },
    report() {
      const order: Record<string, number> = { changed: 0, disabled: 1, removed: 2, 'not-in-base': 3, 'unknown-rule': 4, unchanged: 5 };
      const list = [...rules.values()]
        .map(({ missing, ...s }) => ({
          ...s,
          missingFields: [...missing.entries()]
            .map(([field, n]) => ({ field, alerts: n }))
            .sort((a, b) => b.alerts - a.alerts || compareStrings(a.field, b.field)),
        }))
        .sort((a, b) => (order[a.change] ?? 9) - (order[b.change] ?? 9) || b.alerts - a.alerts || compareStrings(a.rule, b.rule));
      return { base: labels.base, candidate: labels.candidate, lines, alerts, malformed, totals, rules: list };
    },
  };
}
