/**
 * The rules explorer's data: a pure function of what the pipeline already produces (compiled
 * rulesets, lint and shadow findings, rule test results, built artifacts). The site's script
 * reads this object as-is; everything in it is plain data, safe to serialise.
 */
import type { ShadowFinding } from '../analysis/shadow/index.js';
import { explainRule, type EnvironmentRuleset, type UpstreamVersion } from '../environment/index.js';
import type { Loc } from '../diagnostics/index.js';
import type { RuleTestResult } from '../evaluate/index.js';
import type { Finding } from '../report/index.js';
import type { Change, CompiledRule, CompiledRuleset, TextSegment } from '../rules/index.js';

const SITE_SCHEMA_VERSION = 1;

/** Which layer a file belongs to: upstream defaults, the organisation's rules, or an environment's overlay. */
type Layer = 'upstream' | 'organisation' | 'overlay';

interface SiteChange {
  /** The key it touched, or '*' for a whole definition. */
  field: string;
  action: Change['action'];
  file: string;
  line: number;
  column: number;
  layer: Layer;
}

/** A stretch of a merged condition and the file and line that contributed it. */
interface SiteFragment {
  text: string;
  file: string;
  line: number;
  layer: Layer;
}

interface SiteRuleTest {
  name: string;
  file: string;
  line: number;
  expected: 'fires' | 'does-not-fire';
  passed: boolean;
  /** Why it failed for this rule: the actual outcome and the deciding checks. */
  detail: string[];
}

/** The effective rule: every field Falco keeps, then where each came from and what uses and tests it. */
interface SiteRule extends Pick<
  CompiledRule,
  | 'name'
  | 'source'
  | 'enabled'
  | 'priority'
  | 'description'
  | 'output'
  | 'tags'
  | 'condition'
  | 'compiledCondition'
  | 'eventTypes'
  | 'exceptions'
  | 'capture'
  | 'captureDuration'
  | 'warnEvttypes'
  | 'skipIfUnknownFilter'
> {
  /** The layer of the first definition. */
  layer: Layer;
  /** Some field was defined, replaced, appended or toggled outside the upstream files. */
  changedByUs: boolean;
  history: SiteChange[];
  fragments: SiteFragment[];
  macros: string[];
  lists: string[];
  tests: SiteRuleTest[];
  /** Per other environment: the fields that differ (`absent` when it is not loaded there); empty when the same. */
  differs: { environment: string; fields: string[] }[];
}

interface SiteMacro {
  name: string;
  condition: string;
  compiledCondition: string | null;
  layer: Layer;
  changedByUs: boolean;
  history: SiteChange[];
  fragments: SiteFragment[];
  usedBy: string[];
}

interface SiteList {
  name: string;
  items: string[];
  layer: Layer;
  changedByUs: boolean;
  history: SiteChange[];
  usedBy: string[];
}

interface SiteFinding {
  /** `lint` (a check id in `check`) or `shadow` (the shadow kind in `check`). */
  origin: 'lint' | 'shadow';
  check: string;
  severity: string;
  message: string;
  itemType: string;
  itemName: string;
  file: string;
  line: number;
}

export interface SiteArtifact {
  reference: string;
  digest: string;
}

interface SiteEnvironment {
  name: string;
  artifact: SiteArtifact | null;
  lint: { errors: number; warnings: number; notes: number };
  tests: { passed: number; failed: number };
  rules: SiteRule[];
  macros: SiteMacro[];
  lists: SiteList[];
  findings: SiteFinding[];
}

export interface SiteModel {
  schemaVersion: typeof SITE_SCHEMA_VERSION;
  generator: string;
  upstream: UpstreamVersion[];
  environments: SiteEnvironment[];
}

interface SiteEnvironmentInput {
  name: string;
  ruleset: CompiledRuleset;
  artifact?: SiteArtifact;
}

interface SiteInput {
  generator: string;
  environments: readonly SiteEnvironmentInput[];
  upstream: readonly UpstreamVersion[];
  lintFindings: readonly Finding[];
  shadowFindings: readonly ShadowFinding[];
  testResults: readonly RuleTestResult[];
  layerOf: (file: string) => Layer;
}

/** Upstream files live under rules/upstream/, overlays under environments/; everything else is the organisation's. */
export function repositoryLayer(file: string): Layer {
  if (file.startsWith('rules/upstream/')) return 'upstream';
  if (file.startsWith('environments/')) return 'overlay';
  return 'organisation';
}

export function buildSiteModel(input: SiteInput): SiteModel {
  const rulesets: EnvironmentRuleset[] = input.environments.map((e) => ({ environment: e.name, ruleset: e.ruleset }));
  return {
    schemaVersion: SITE_SCHEMA_VERSION,
    generator: input.generator,
    upstream: [...input.upstream],
    environments: input.environments.map((env, i) => siteEnvironment(env, rulesets[i], rulesets, input)),
  };
}

function siteEnvironment(env: SiteEnvironmentInput, target: EnvironmentRuleset, all: EnvironmentRuleset[], input: SiteInput): SiteEnvironment {
  const { layerOf } = input;
  const change = (c: Change): SiteChange => ({
    field: c.field,
    action: c.action,
    file: c.loc.file,
    line: c.loc.line,
    column: c.loc.column,
    layer: layerOf(c.loc.file),
  });
  const byUs = (history: Change[]) => history.some((c) => layerOf(c.loc.file) !== 'upstream');
  const tests = input.testResults.filter((t) => t.environment === env.name);
  const macroUsers = new Map<string, string[]>();
  const listUsers = new Map<string, string[]>();
  const addUser = (map: Map<string, string[]>, item: string, rule: string) => {
    const users = map.get(item);
    if (users) users.push(rule);
    else map.set(item, [rule]);
  };

  const rules: SiteRule[] = env.ruleset.rules.map((rule) => {
    const explained = explainRule(rule.name, target, all)!;
    for (const m of explained.macros) addUser(macroUsers, m.name, rule.name);
    for (const l of explained.lists) addUser(listUsers, l.name, rule.name);
    const { rule: name, environment: _environment, history: _history, macros: usedMacros, lists: usedLists, environments, ...fields } = explained;
    return {
      name,
      ...fields,
      capture: rule.capture,
      captureDuration: rule.captureDuration,
      warnEvttypes: rule.warnEvttypes,
      skipIfUnknownFilter: rule.skipIfUnknownFilter,
      layer: layerOf(rule.entry.loc.file),
      changedByUs: byUs(rule.entry.history),
      history: rule.entry.history.map(change),
      fragments: fragments(rule.condition, rule.entry.conditionSegments, layerOf),
      macros: usedMacros.map((m) => m.name),
      lists: usedLists.map((l) => l.name),
      tests: ruleTests(rule.name, tests),
      differs: environments.map((o) => ({ environment: o.environment, fields: o.differs })),
    };
  });

  const macros: SiteMacro[] = env.ruleset.macros.map((m) => ({
    name: m.name,
    condition: m.condition,
    compiledCondition: m.compiledCondition ?? null,
    layer: layerOf(m.entry.loc.file),
    changedByUs: byUs(m.entry.history),
    history: m.entry.history.map(change),
    fragments: fragments(m.condition, m.entry.conditionSegments, layerOf),
    usedBy: macroUsers.get(m.name) ?? [],
  }));
  const lists: SiteList[] = env.ruleset.lists.map((l) => ({
    name: l.name,
    items: l.items,
    layer: layerOf(l.entry.loc.file),
    changedByUs: byUs(l.entry.history),
    history: l.entry.history.map(change),
    usedBy: listUsers.get(l.name) ?? [],
  }));

  const lintFindings = input.lintFindings.filter((f) => f.environment === undefined || f.environment === env.name);
  const findings: SiteFinding[] = [
    ...lintFindings.map((f) => finding('lint', f.checkId, f.severity, f.message, f.itemType, f.itemName, f.location)),
    ...input.shadowFindings
      .filter((f) => f.environment === undefined || f.environment === env.name)
      .map((f) => finding('shadow', f.kind, f.severity, f.message, f.itemType, f.itemName, f.ours)),
  ];
  const count = (s: string) => lintFindings.filter((f) => f.severity === s).length;
  const passed = tests.filter((t) => t.passed).length;
  return {
    name: env.name,
    artifact: env.artifact ?? null,
    lint: { errors: count('error'), warnings: count('warning'), notes: count('note') },
    tests: { passed, failed: tests.length - passed },
    rules,
    macros,
    lists,
    findings,
  };
}

function finding(origin: SiteFinding['origin'], check: string, severity: string, message: string, itemType: string, itemName: string, loc: Loc): SiteFinding {
  return { origin, check, severity, message, itemType, itemName, file: loc.file, line: loc.line };
}

/** The merged condition cut at each contributing scalar, with the layer, file and line it came from. */
function fragments(text: string, segments: readonly TextSegment[], layerOf: (file: string) => Layer): SiteFragment[] {
  return segments.map((s, i) => ({
    text: text.slice(s.offset, segments[i + 1]?.offset ?? text.length),
    file: s.loc.file,
    line: s.loc.line,
    layer: layerOf(s.loc.file),
  }));
}

/** The tests that name the rule, with their outcome for it. */
function ruleTests(rule: string, results: readonly RuleTestResult[]): SiteRuleTest[] {
  const out: SiteRuleTest[] = [];
  for (const r of results) {
    const expected = r.expected.fires.includes(rule) ? 'fires' : r.expected.doesNotFire.includes(rule) ? 'does-not-fire' : null;
    if (expected === null) continue;
    const failure = r.failures.find((f) => f.rule === rule);
    const detail = failure
      ? [
          `got ${failure.actual}`,
          ...failure.deciding.map((d) => `decided by: ${d}`),
          ...(failure.missing.length > 0 ? [`the event lacks: ${failure.missing.join(', ')}`] : []),
        ]
      : [];
    out.push({ name: r.name, file: r.file, line: r.line, expected, passed: failure === undefined, detail });
  }
  return out;
}
