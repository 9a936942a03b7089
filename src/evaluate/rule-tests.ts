/**
 * Rule unit tests: YAML files naming an event's fields and the rules expected to fire or not,
 * optionally per environment, run against a compiled ruleset.
 *
 *   defaults: { event: { evt.type: openat, evt.is_open_read: true } }   # optional, merged into each event
 *   tests:
 *     - name: cat reads /etc/shadow
 *       event: { proc.name: cat, fd.name: /etc/shadow }
 *       fires: [Read sensitive file untrusted]
 *       does_not_fire: [Write below etc]
 *       environments:                                # replaces the expectation in that environment
 *         production: { does_not_fire: [Read sensitive file untrusted] }
 *
 * A file may also be a bare sequence of tests.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { YAML_TOO_DEEP, yamlNestingExcess, type Diagnostic } from '../diagnostics/index.js';
import type { FalcoEvent, FieldValue, Scalar } from './event.js';
import { explainCondition } from './deciding-checks.js';
import { candidateRules, DEFAULT_SOURCE, type RuleIndex } from './rules-by-event-type.js';
import { describeCheck } from './replay-report.js';
import { FALSE, TRUE, truthName } from './truth.js';

export interface Expectation {
  fires: string[];
  doesNotFire: string[];
}

export interface RuleTestCase {
  file: string;
  line: number;
  name: string;
  source: string;
  event: FalcoEvent;
  expect: Expectation;
  /** Per-environment expectations that replace `expect` there. */
  environments: Record<string, Expectation>;
  /** Set for tests under environments/<env>/tests/: they run only there. */
  onlyEnvironment?: string;
}

export type ActualOutcome = 'fires' | 'does-not-fire' | 'undecided' | 'no-such-rule' | 'disabled';

export interface RuleTestFailure {
  rule: string;
  expected: 'fires' | 'does-not-fire';
  actual: ActualOutcome;
  /** The checks that decided the outcome, printed canonically with their truth value. */
  deciding: string[];
  /** Fields the event lacks that the outcome depends on. */
  missing: string[];
}

export interface RuleTestResult {
  file: string;
  line: number;
  name: string;
  environment: string;
  event: FalcoEvent;
  /** The rules this test expects to fire or not in this environment. */
  expected: Expectation;
  passed: boolean;
  failures: RuleTestFailure[];
}

type Parsed = { cases: RuleTestCase[]; diagnostics: Diagnostic[] };

export function parseRuleTestFile(file: string, text: string, onlyEnvironment?: string): Parsed {
  const deep = yamlNestingExcess(text);
  if (deep !== null) {
    return {
      cases: [],
      diagnostics: [
        { code: 'INPUT_ERROR', severity: 'error', itemType: 'rule test file', itemName: file, message: YAML_TOO_DEEP, location: { file, ...deep } },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const at = (node: Node | null | undefined) => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const fail = (node: Node | null | undefined, message: string, itemName = '') => {
    diagnostics.push({ code: 'INPUT_ERROR', severity: 'error', itemType: 'rule test', itemName, message, location: at(node) });
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      diagnostics.push({
        code: 'INPUT_ERROR',
        severity: 'error',
        itemType: 'rule test file',
        itemName: file,
        message: e.message,
        location: { file, line: pos?.line ?? 1, column: pos?.col ?? 1 },
      });
    }
    return { cases: [], diagnostics };
  }
  const root = doc.contents;
  let testsNode: Node | null | undefined = root;
  let defaults: Record<string, FieldValue> = {};
  let defaultSource = DEFAULT_SOURCE;
  if (isMap(root)) {
    testsNode = root.get('tests', true);
    const d = root.get('defaults', true) as Node | undefined;
    if (d !== undefined) {
      if (!isMap(d)) fail(d, "'defaults' must be a mapping");
      else {
        const ev = d.get('event', true) as Node | undefined;
        if (ev !== undefined) defaults = readEvent(ev, fail, '', doc) ?? {};
        const src = d.get('source');
        if (typeof src === 'string') defaultSource = src;
      }
    }
  }
  if (root === null || root === undefined) return { cases: [], diagnostics };
  if (!isSeq(testsNode)) {
    fail(testsNode ?? root, "expected a sequence of tests (or a mapping with 'tests:')");
    return { cases: [], diagnostics };
  }
  const cases: RuleTestCase[] = [];
  for (const item of testsNode.items) {
    if (!isMap(item)) {
      fail(item as Node, 'each test must be a mapping');
      continue;
    }
    const name = item.get('name');
    if (typeof name !== 'string' || name === '') {
      fail(item, "a test needs a 'name'");
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!['name', 'event', 'fires', 'does_not_fire', 'environments', 'source'].includes(key)) fail(pair.key as Node, `unknown key '${key}' in test`, name);
    }
    const eventNode = item.get('event', true) as Node | undefined;
    if (eventNode === undefined) {
      fail(item, "a test needs an 'event' mapping of field names to values", name);
      continue;
    }
    const event = readEvent(eventNode, fail, name, doc);
    if (!event) continue;
    const expect = readExpectation(item, fail, name);
    const environments: Record<string, Expectation> = {};
    const envs = item.get('environments', true) as Node | undefined;
    if (envs !== undefined) {
      if (!isMap(envs)) fail(envs, "'environments' must map environment names to expectations", name);
      else
        for (const pair of envs.items) {
          const env = isScalar(pair.key) ? String(pair.key.value) : '';
          if (!isMap(pair.value)) fail(pair.value as Node, `expectation for '${env}' must be a mapping`, name);
          else environments[env] = readExpectation(pair.value, fail, name);
        }
    }
    const source = item.get('source');
    const testCase: RuleTestCase = {
      file,
      line: at(item).line,
      name,
      source: typeof source === 'string' ? source : defaultSource,
      event: { ...defaults, ...event },
      expect,
      environments,
    };
    if (onlyEnvironment !== undefined) testCase.onlyEnvironment = onlyEnvironment;
    cases.push(testCase);
  }
  return { cases, diagnostics };
}

type Fail = (node: Node | null | undefined, message: string, itemName?: string) => void;

function readEvent(node: Node | undefined, fail: Fail, name: string, doc: Document): Record<string, FieldValue> | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (!isMap(target)) {
    fail(node, "a test needs an 'event' mapping of field names to values", name);
    return undefined;
  }
  const merged: Record<string, FieldValue> = {};
  const out: Record<string, FieldValue> = {};
  for (const pair of target.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = pair.value;
    if (key === '<<') {
      // YAML merge keys (`<<: *base`): the named events' fields, overridden by the fields written here.
      const sources = isSeq(v) ? v.items : [v];
      for (const source of sources) Object.assign(merged, readEvent(source as Node, fail, name, doc) ?? {});
      continue;
    }
    if (isScalar(v) && (v.value === null || ['string', 'number', 'boolean'].includes(typeof v.value))) out[key] = v.value as Scalar | null;
    else if (isSeq(v) && v.items.every((x) => isScalar(x) && ['string', 'number', 'boolean'].includes(typeof x.value)))
      out[key] = v.items.map((x) => (isScalar(x) ? (x.value as Scalar) : ''));
    else if (v === null) out[key] = null;
    else fail(v as Node, `field '${key}' must be a scalar, a list of scalars, or null`, name);
  }
  return { ...merged, ...out };
}

function readExpectation(node: { get(key: string, keepNode: true): unknown }, fail: Fail, name: string): Expectation {
  const list = (key: string): string[] => {
    const n = node.get(key, true) as Node | undefined;
    if (n === undefined) return [];
    if (isScalar(n) && typeof n.value === 'string') return [n.value];
    if (isSeq(n) && n.items.every((x) => isScalar(x) && typeof x.value === 'string')) return n.items.map((x) => String((x as { value: unknown }).value));
    fail(n, `'${key}' must be a rule name or a list of rule names`, name);
    return [];
  };
  return { fires: list('fires'), doesNotFire: list('does_not_fire') };
}

/** Runs every case that applies to `environment` against its rule index. */
export function runRuleTests(cases: readonly RuleTestCase[], environment: string, index: RuleIndex): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const c of cases) {
    if (c.onlyEnvironment !== undefined && c.onlyEnvironment !== environment) continue;
    const expectation = c.environments[environment] ?? c.expect;
    const failures: RuleTestFailure[] = [];
    const check = (ruleName: string, expected: 'fires' | 'does-not-fire') => {
      const r = index.byName.get(ruleName);
      if (!r) {
        failures.push({ rule: ruleName, expected, actual: 'no-such-rule', deciding: [], missing: [] });
        return;
      }
      if (!r.enabled || r.source !== c.source) {
        if (expected === 'fires') failures.push({ rule: ruleName, expected, actual: r.enabled ? 'does-not-fire' : 'disabled', deciding: [], missing: [] });
        return;
      }
      if (!candidateRules(index, c.event, c.source).includes(r)) {
        if (expected === 'fires')
          failures.push({
            rule: ruleName,
            expected,
            actual: 'does-not-fire',
            deciding: [`evt.type = ${String(c.event['evt.type'])} is not among the rule's event types`],
            missing: [],
          });
        return;
      }
      const ex = explainCondition(r.condition, c.event);
      const actual: ActualOutcome = ex.truth === TRUE ? 'fires' : ex.truth === FALSE ? 'does-not-fire' : 'undecided';
      if (actual !== expected) {
        failures.push({
          rule: ruleName,
          expected,
          actual,
          deciding: ex.deciding.slice(0, 6).map((d) => `${describeCheck(d.expr)} → ${truthName(d.truth)}`),
          missing: ex.missing,
        });
      }
    };
    for (const name of expectation.fires) check(name, 'fires');
    for (const name of expectation.doesNotFire) check(name, 'does-not-fire');
    results.push({ file: c.file, line: c.line, name: c.name, environment, event: c.event, expected: expectation, passed: failures.length === 0, failures });
  }
  return results;
}
