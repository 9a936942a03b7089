import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/condition/catalog/index.js';
import {
  catalogFieldTypes,
  collectFieldConstants,
  compileCondition,
  completeEvent,
  createReplayAccumulator,
  outputFieldKeys,
  planReplay,
  satisfyingEvent,
  seededRandom,
  TRUE,
  UNKNOWN,
  valueKindOf,
  type FieldValue,
} from '../../src/evaluate/index.js';
import { loadRules } from '../../src/rules/index.js';
import { missingUpstream, readUpstream, upstreamManifest } from '../helpers/shared.js';

const CORPUS_SIZE = 100_000;

/** The newest release of each upstream ruleset, in Falco's load order. */
function latestTrio() {
  const manifest = upstreamManifest();
  return (['falco_rules', 'falco-incubating_rules', 'falco-sandbox_rules'] as const).map((ruleset) => {
    const version = (v: string) => semver.coerce(v)?.version ?? '0.0.0';
    const entries = manifest.filter((e) => e.ruleset === ruleset).sort((a, b) => semver.compare(version(a.version), version(b.version)));
    return readUpstream(entries[entries.length - 1]!.file);
  });
}

// The tuning a PR might bring: an overridden user_known macro, an appended exception, a list
// append that widens a rule, a disabled rule and an appended clause.
const OVERLAY = `
- macro: user_known_read_sensitive_files_activities
  condition: (proc.name = google_guest_ag and fd.name startswith /etc/pam.d/)
  override:
    condition: replace
- rule: Terminal shell in container
  exceptions:
    - name: corpus_known_shells
      fields: [proc.name, proc.pname]
      comps: [=, in]
      values:
        - [bash, [runc, containerd-shim]]
  override:
    exceptions: append
- list: protected_shell_spawning_binaries
  items: [php]
  override:
    items: append
- rule: Launch Package Management Process in Container
  enabled: false
  override:
    enabled: replace
- rule: Clear Log Activities
  condition: and not proc.cmdline contains logrotate
  override:
    condition: append
`;

describe.skipIf(missingUpstream())('replay of a generated corpus of upstream alerts', () => {
  it('agrees with a brute-force evaluation of the candidate on the full events', () => {
    const trio = latestTrio();
    const base = loadRules(trio);
    const candidate = loadRules([...trio, { path: 'environments/production/tuning.yaml', text: OVERLAY }]);
    expect(base.ok).toBe(true);
    expect(candidate.ok).toBe(true);
    const fieldTypes = catalogFieldTypes(defaultCatalog);
    const syscall = fieldTypes('syscall');
    const kindOf = (key: string) => {
      const open = key.indexOf('[');
      return valueKindOf((open < 0 ? syscall(key) : syscall(key.slice(0, open), key.slice(open + 1, -1)))?.type ?? 'CHARBUF');
    };
    const candidateByName = new Map(candidate.rules.map((r) => [r.name, r]));
    const rules = base.rules
      .filter((r) => r.enabled && r.source === 'syscall' && candidateByName.has(r.name))
      .map((r) => {
        const c = candidateByName.get(r.name)!;
        const baseCondition = compileCondition(r.ast, syscall);
        const candCondition = compileCondition(c.ast, syscall);
        return { rule: r, cand: c, baseCondition, candCondition, keys: [...new Set([...baseCondition.keys, ...candCondition.keys])] };
      });
    const pool = collectFieldConstants([...base.rules, ...candidate.rules].map((r) => r.ast));
    const plan = planReplay(base.rules, candidate.rules, fieldTypes);
    const acc = createReplayAccumulator(plan, { base: 'upstream trio', candidate: 'trio + tuning' });
    const truth = new Map<string, { fires: number; suppressed: number }>();
    const rand = seededRandom(42);

    let alerts = 0;
    let attempts = 0;
    while (alerts < CORPUS_SIZE && attempts < CORPUS_SIZE * 20) {
      const r = rules[attempts++ % rules.length]!;
      const ev: Record<string, FieldValue> = {};
      // Half the time, aim at the candidate's new clauses first, so tuned rules get suppressed alerts.
      if (rand() < 0.5) satisfyingEvent(r.cand.ast, false, syscall, rand, ev);
      satisfyingEvent(r.rule.ast, true, syscall, rand, ev);
      completeEvent(ev, r.keys, pool, kindOf, rand);
      if (r.baseCondition.evaluate(ev) !== TRUE) continue;
      const expected = r.cand.enabled ? r.candCondition.evaluate(ev) : 0;
      expect(expected).not.toBe(UNKNOWN);
      const t = truth.get(r.rule.name) ?? { fires: 0, suppressed: 0 };
      if (expected === TRUE) t.fires++;
      else t.suppressed++;
      truth.set(r.rule.name, t);
      const fields: Record<string, FieldValue> = {};
      for (const k of outputFieldKeys(r.rule.output)) fields[k] = ev[k] ?? null;
      alerts++;
      acc.addLine(JSON.stringify({ rule: r.rule.name, priority: r.rule.priority, output: r.rule.name, output_fields: fields }), alerts);
    }
    expect(alerts).toBe(CORPUS_SIZE);
    const report = acc.report();
    expect(report.alerts).toBe(CORPUS_SIZE);
    expect(report.malformed.count).toBe(0);

    const byRule = new Map(report.rules.map((r) => [r.rule, r]));
    for (const [name, t] of truth) {
      const r = byRule.get(name)!;
      expect(r.alerts).toBe(t.fires + t.suppressed);
      // Sound: what replay decides is what the candidate does on the full event.
      expect(r.fires).toBeLessThanOrEqual(t.fires);
      expect(r.suppressed).toBeLessThanOrEqual(t.suppressed);
      expect(r.fires + r.undecided).toBeGreaterThanOrEqual(t.fires);
      if (r.change === 'unchanged') expect([r.fires, r.suppressed, r.undecided]).toEqual([t.fires, 0, 0]);
    }
    // The changes that only read output fields are decided for every alert, exactly.
    // The list append only widens Run shell untrusted: the base's proof carries over (implication).
    for (const name of [
      'Read sensitive file untrusted',
      'Terminal shell in container',
      'Launch Package Management Process in Container',
      'Clear Log Activities',
      'Run shell untrusted',
    ]) {
      const r = byRule.get(name);
      const t = truth.get(name);
      expect(r && t, name).toBeTruthy();
      expect([name, r!.fires, r!.suppressed, r!.undecided]).toEqual([name, t!.fires, t!.suppressed, 0]);
      expect(r!.change).toBe(name === 'Launch Package Management Process in Container' ? 'disabled' : 'changed');
      if (r!.change === 'changed' && name !== 'Run shell untrusted') expect(t!.suppressed, `${name} has suppressed alerts in the corpus`).toBeGreaterThan(0);
    }
    expect(report.totals.fires + report.totals.suppressed + report.totals.undecided).toBe(CORPUS_SIZE);
  }, 120_000);
});
