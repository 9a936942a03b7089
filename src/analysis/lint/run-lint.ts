/** Runs checks over environments: one pass per item and condition, findings merged across environments. */
import type { Loc } from '../../diagnostics/index.js';
import type { Finding, FindingSeverity } from '../../report/index.js';
import type { CompiledList, CompiledMacro } from '../../rules/index.js';
import { formatMessage, type Check, type ItemRef, type LintContext, type LintEnvironment, type ReportOptions } from './define-check.js';
import type { LintPolicy } from './lint-policy.js';
import { ownConditions } from './own-conditions.js';
import { collectSuppressions, suppressionKey } from './suppression.js';

export interface LintOptions {
  /** Whether a file is an upstream default (overlays are everything else). */
  isUpstream?: (file: string) => boolean;
  /** False in pull-request checks: a vendored upstream file's findings are reported but never fail the gate (we do not edit upstream's files). */
  upstreamGates?: boolean;
}

export interface LintResult {
  findings: Finding[];
  /** Findings left out by a suppression comment with a reason. */
  suppressed: number;
  /** Findings that fail the gate: severity error, or from a check the policy names under `fail` (see `upstreamGates`). */
  failing: number;
}

const RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, note: 2 };

export function runLint(environments: readonly LintEnvironment[], checks: readonly Check[], options: LintOptions = {}): LintResult {
  const isUpstream = options.isUpstream ?? (() => false);
  const merged = new Map<string, { finding: Finding; envs: string[]; fails: boolean }>();
  let suppressed = 0;
  const suppressions = new Map<string, string>();
  const bad: Finding[] = [];
  const seenBad = new Set<string>();
  for (const env of environments) {
    for (const s of collectSuppressions(env.files)) {
      const key = `${s.location.file}:${s.location.line}:${s.checkId}`;
      if (s.reason === '') {
        if (!seenBad.has(key)) {
          seenBad.add(key);
          bad.push({
            checkId: 'suppression',
            messageId: 'no-reason',
            severity: 'error',
            message: `suppression of "${s.checkId}" on ${s.itemType} "${s.itemName}" gives no reason`,
            location: s.location,
            itemType: s.itemType,
            itemName: s.itemName,
            hint: `write "# falco-gitops-disable-next-item ${s.checkId}: <why this is fine>"`,
            fails: true,
          });
        }
        continue;
      }
      suppressions.set(suppressionKey(s.itemType, s.itemName, s.checkId), s.reason);
    }
  }

  const emit = (
    env: LintEnvironment | undefined,
    policy: LintPolicy,
    check: Check,
    item: ItemRef,
    messageId: string,
    message: string,
    at: Loc,
    extra?: ReportOptions,
  ) => {
    const level = policy.severity?.[check.id] ?? check.severity;
    if (level === 'off') return;
    if (suppressions.has(suppressionKey(item.itemType, item.itemName, check.id))) {
      suppressed++;
      return;
    }
    const key = [check.id, messageId, at.file, at.line, at.column, item.itemType, item.itemName, message].join('\u0000');
    const fails = level === 'error' || (policy.fail?.includes(check.id) ?? false);
    const existing = merged.get(key);
    if (existing) {
      if (env?.name !== undefined && !existing.envs.includes(env.name)) existing.envs.push(env.name);
      if (RANK[level] < RANK[existing.finding.severity]) existing.finding.severity = level;
      existing.fails ||= fails;
      return;
    }
    const finding: Finding = { checkId: check.id, messageId, severity: level, message, location: at, ...item };
    if (extra?.hint !== undefined) finding.hint = extra.hint;
    else finding.hint = check.hint;
    if (extra?.related !== undefined) finding.related = extra.related;
    merged.set(key, { finding, envs: env?.name === undefined ? [] : [env.name], fails });
  };

  const contextFor = (env: LintEnvironment, check: Check): LintContext<Record<string, string>> => {
    const macros = new Map<string, CompiledMacro>(env.compiled.macros.map((m) => [m.name, m]));
    const lists = new Map<string, CompiledList>(env.compiled.lists.map((l) => [l.name, l]));
    const policy = env.policy ?? {};
    return {
      environment: env,
      environments,
      policy,
      base: env.base,
      isUpstream,
      macro: (name) => macros.get(name),
      list: (name) => lists.get(name),
      report: (item, messageId, data, at, extra) =>
        emit(env, policy, check, item, messageId, formatMessage(check.messages[messageId] ?? messageId, data), at, extra),
    };
  };

  for (const env of environments) {
    const contexts = checks.map((c) => contextFor(env, c));
    const each = <T>(pick: (c: Check) => ((x: T, ctx: LintContext<Record<string, string>>) => void) | undefined, x: T) => {
      checks.forEach((c, i) => pick(c)?.(x, contexts[i]));
    };
    for (const file of env.files) for (const item of file.items) checks.forEach((c, i) => c.visit.item?.(item, file, contexts[i]));
    for (const list of env.compiled.lists) each((c) => c.visit.list, list);
    for (const macro of env.compiled.macros) each((c) => c.visit.macro, macro);
    for (const rule of env.compiled.rules) each((c) => c.visit.rule, rule);
    if (checks.some((c) => c.visit.condition)) for (const own of ownConditions(env.compiled)) each((c) => c.visit.condition, own);
    each((c) => c.visit.ruleset, env.compiled);
  }
  if (environments.length > 0) {
    const first = environments[0];
    for (const check of checks) {
      if (!check.visit.environments) continue;
      const ctx = contextFor(first, check);
      check.visit.environments(environments, {
        ...ctx,
        report: (item, messageId, data, at, extra) =>
          emit(undefined, first.policy ?? {}, check, item, messageId, formatMessage(check.messages[messageId] ?? messageId, data), at, extra),
      });
    }
  }

  const findings: Finding[] = [...bad];
  let failing = bad.length;
  for (const { finding, envs, fails } of merged.values()) {
    if (envs.length > 0 && envs.length < environments.length) finding.environment = envs.join(', ');
    else if (envs.length > 0 && environments.length === 1) finding.environment = envs[0]!;
    findings.push(finding);
    if (fails && (options.upstreamGates !== false || !isUpstream(finding.location.file))) {
      finding.fails = true;
      failing++;
    }
  }
  return { findings, suppressed, failing };
}
