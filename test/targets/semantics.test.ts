/**
 * Version boundaries of the Falco targets, each case checked against the Falco/libs sources of the
 * versions on either side (libs userspace/libsinsp/filter/parser.cpp for operators and
 * transformers, sinsp_filtercheck_*.cpp for fields, falco userspace/engine/falco_engine_version.h
 * for the engine version, falco_engine.cpp check_plugin_requirements for plugin versions).
 */
import { describe, expect, it } from 'vitest';
import { loadRules, type CompiledRuleset } from '../../src/rules/index.js';
import { makeTarget, parsePluginSpec } from '../../src/targets/target.js';
import { semanticsOf } from '../../src/targets/semantics.js';

function loadFor(version: string, text: string, plugins?: string[]): CompiledRuleset {
  return loadRules([{ path: 'r.yaml', text }], { target: semanticsOf(makeTarget(version, plugins?.map(parsePluginSpec))) });
}
const rule = (condition: string, extra = '') => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;
const errors = (r: CompiledRuleset) => r.diagnostics.filter((d) => d.severity === 'error');
const loads = (r: CompiledRuleset) => errors(r).length === 0;

/** What libs parser.cpp prints when a transformer or modifier it lacks is read as a bare word and stops the parse. */
const stopsAfter = (token: string) => `unexpected token after '${token}', expecting 'or', 'and'`;
const OPS_LIBS_0_14 =
  "'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'intersects', 'in', 'pmatch'";
const OPS_LIBS_0_17 = OPS_LIBS_0_14.replace("'glob', ", "'glob', 'iglob', ");

describe("transformers per Falco version (libs parser.cpp s_field_transformers), with the parser's own error", () => {
  it.each([
    ['tolower(proc.name) = bash', '0.37.1', '0.38.0', stopsAfter('tolower')],
    ['toupper(proc.name) = BASH', '0.37.1', '0.38.0', stopsAfter('toupper')],
    ['b64(proc.name) = bash', '0.37.1', '0.38.0', stopsAfter('b64')],
    ['proc.name = val(proc.pname)', '0.37.1', '0.38.0', stopsAfter('val')],
    ['basename(proc.exepath) = bash', '0.38.2', '0.39.0', stopsAfter('basename')],
    ['len(proc.args) > 3', '0.39.2', '0.40.0', stopsAfter('len')],
    ['concat(proc.name, proc.pname) = bashsh', '0.43.1', '0.44.0', stopsAfter('concat')],
    ['join(",", (proc.name, proc.pname)) = "bash,sh"', '0.43.1', '0.44.0', stopsAfter('join')],
    ['getopt(proc.args, "c:")[c] = x', '0.43.1', '0.44.0', stopsAfter('getopt')],
    ['tolower(basename(proc.exepath)) = bash', '0.38.2', '0.39.0', "expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64'"],
  ])('%s fails on %s and loads on %s', (condition, before, since, message) => {
    const text = rule(`evt.type = execve and ${condition}`);
    const refused = loadFor(before, text);
    expect(errors(refused).map((d) => [d.code, d.itemName, d.message])).toEqual([['LOAD_ERR_COMPILE_CONDITION', 'R', message]]);
    expect(loads(loadFor(since, text))).toBe(true);
    expect(loads(loadFor('main', text))).toBe(true);
  });
});

describe("operators per Falco version (libs parser.cpp operator tables), with the parser's own error", () => {
  it.each([
    ['proc.name iglob BA*', '0.37.1', '0.38.0', `expected a valid check operator: one of ${OPS_LIBS_0_14}`],
    ['proc.name regex "^ba.h$"', '0.38.2', '0.39.0', `expected a valid check operator: one of ${OPS_LIBS_0_17}`],
    ['proc.name startswith oneof (ba, zs)', '0.43.1', '0.44.0', stopsAfter('oneof')],
    ['proc.name contains anyof (as, ash)', '0.43.1', '0.44.0', stopsAfter('anyof')],
    ['proc.name endswith allof (sh, h)', '0.43.1', '0.44.0', stopsAfter('allof')],
    ['proc.name glob oneof (b*, z*)', '0.43.1', '0.44.0', stopsAfter('oneof')],
    ['proc.name != allof (bash, zsh)', '0.43.1', '0.44.0', stopsAfter('allof')],
    ['proc.name iglob "*SH"', '0.37.0', '0.38.1', `expected a valid check operator: one of ${OPS_LIBS_0_14}`],
    ['proc.name regex "sh"', '0.37.0', '0.41.0', `expected a valid check operator: one of ${OPS_LIBS_0_14}`],
    ['proc.cmdline icontains oneof (a, b)', '0.42.1', '0.44.1', stopsAfter('oneof')],
  ])('%s fails on %s and loads on %s', (condition, before, since, message) => {
    const text = rule(`evt.type = execve and ${condition}`);
    expect(errors(loadFor(before, text)).map((d) => [d.code, d.message])).toEqual([['LOAD_ERR_COMPILE_CONDITION', message]]);
    expect(loads(loadFor(since, text))).toBe(true);
  });
  it('operators every version has load everywhere', () => {
    for (const v of ['0.37.0', '0.40.0', '0.44.1', 'main'])
      expect(loads(loadFor(v, rule('evt.type = open and fd.name pmatch (/etc) and fd.num intersects (1) and proc.name exists')))).toBe(true);
  });
});

describe('where the parser stops decides its error (libs parser.cpp parse_embedded_remainder, parse_num_value_or_transformer)', () => {
  it.each([
    ['inside parentheses', 'evt.type = execve and (basename(proc.exepath) = bash or proc.name = x)', '0.38.2', "expected a ')' token"],
    ['after not(', 'evt.type = execve and not(len(proc.args) > 3)', '0.39.2', "expected a ')' token"],
    ['a modifier inside parentheses', 'evt.type = execve and (proc.name in (a) or proc.name startswith oneof (b))', '0.43.1', "expected a ')' token"],
    [
      'a too-new transformer as a number value',
      'evt.type = execve and proc.pid > len(proc.args)',
      '0.39.2',
      "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename'",
    ],
    ['a transformer as a number value before any transformer existed', 'evt.type = execve and proc.pid > len(proc.args)', '0.37.1', 'expected a number value'],
    [
      'nested in a transformer the version has',
      'evt.type = execve and toupper(len(proc.args)) = 3',
      '0.39.2',
      "expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename'",
    ],
    ['as a string value', 'evt.type = execve and proc.name = basename(proc.exepath)', '0.38.2', stopsAfter('basename')],
    [
      'after a quoted string with a parenthesis in it',
      'evt.type = execve and proc.cmdline = "a (b" and basename(proc.exepath) = x',
      '0.38.2',
      stopsAfter('basename'),
    ],
  ])('%s', (_, condition, version, message) => {
    expect(errors(loadFor(version, rule(condition))).map((d) => d.message)).toEqual([message]);
  });

  it('exceptions wrap the condition in parentheses, so the same transformer stops at a missing ")"', () => {
    const text = rule('evt.type = execve and basename(proc.exepath) = bash', '  exceptions:\n    - name: e\n      fields: proc.name\n      values: [x]\n');
    expect(errors(loadFor('0.38.2', text)).map((d) => d.message)).toEqual(["expected a ')' token"]);
  });

  it('a macro gets the same error, named on the macro', () => {
    const text = `- macro: m\n  condition: basename(proc.exepath) = bash\n${rule('evt.type = execve and m')}`;
    expect(errors(loadFor('0.38.2', text)).map((d) => [d.itemType, d.itemName, d.message])).toEqual([['macro', 'm', stopsAfter('basename')]]);
  });
});

describe('fields per libs version (sinsp_filtercheck_*.cpp)', () => {
  it.each([
    ['proc.aargs contains nginx', '0.40.0', '0.41.0'],
    ['proc.pgid = 1', '0.39.2', '0.40.0'],
    ['proc.pgid.name = bash', '0.39.2', '0.40.0'],
    ['proc.pgid.exe = /bin/bash', '0.39.2', '0.40.0'],
    ['proc.pgid.exepath = /bin/bash', '0.39.2', '0.40.0'],
    ['proc.is_pgid_leader = true', '0.39.2', '0.40.0'],
    ['proc.aargs[1] contains x', '0.40.0', '0.44.1'],
    ['proc.pgid != 0', '0.38.0', '0.42.0'],
    ['proc.aargs exists', '0.37.0', 'main'],
    ['proc.is_pgid_leader = false', '0.37.1', '0.43.1'],
  ])("%s: Falco's nonexistent-field error on %s, loads on %s", (condition, before, since) => {
    const text = rule(`evt.type = execve and ${condition}`);
    const refused = errors(loadFor(before, text));
    expect(refused.map((d) => d.code)).toEqual(['LOAD_ERR_COMPILE_CONDITION']);
    expect(refused[0]!.message).toContain('nonexistent field');
    expect(loads(loadFor(since, text))).toBe(true);
  });
  it("container fields are libs fields before 0.41 and the container plugin's after", () => {
    const text = rule('evt.type = execve and container.id != host');
    expect(loads(loadFor('0.40.0', text, []))).toBe(true);
    expect(loads(loadFor('0.41.0', text, []))).toBe(false);
    expect(loads(loadFor('0.41.0', text, ['container']))).toBe(true);
  });
});

describe('evt.num invariants and the empty-set LOAD_NO_EVTTYPE are main-only (§7)', () => {
  const warned = (r: CompiledRuleset) => r.diagnostics.some((d) => d.code === 'LOAD_NO_EVTTYPE');
  it.each([
    ['evt.num = 0', true],
    ['evt.num < 1', true],
    ['evt.num <= 0', true],
    ['evt.num < 0', true],
    ['evt.num in (0)', true],
    ['evt.num in (0, 0)', true],
    ['evt.num = 0 or evt.num < 0', true],
    ['evt.type = open and evt.type = close', true],
    ['evt.num > 0 and evt.type = open', false],
    ['evt.type = open and not evt.num = 0', false],
  ])('%s: empty on main (no warning) / unrestricted-or-empty on 0.44.1 (warning) = %s', (condition, emptyOnMain) => {
    const text = rule(condition);
    const main = loadFor('main', text);
    const release = loadFor('0.44.1', text);
    if (emptyOnMain) {
      expect(main.rules[0]!.eventTypes).toEqual(['asyncevent']);
      expect(warned(main)).toBe(false);
      expect(warned(release)).toBe(true);
    } else {
      expect(main.rules[0]!.eventTypes).toEqual(release.rules[0]!.eventTypes);
      expect(warned(main)).toBe(warned(release));
    }
  });
  it('on releases evt.num does not restrict: `evt.num = 0` alone is unrestricted', () => {
    expect(loadFor('0.44.1', rule('evt.num = 0')).rules[0]!.eventTypes).toBeNull();
    expect(loadFor('0.37.0', rule('evt.num = 0')).rules[0]!.eventTypes).toBeNull();
  });
});

describe('engine version per release (falco_engine_version.h)', () => {
  it.each([
    ['0.31.0', '0.37.0', undefined],
    ['0.40.0', '0.38.0', '0.37.1'],
    ['0.43.0', '0.39.0', '0.38.2'],
    ['0.46.0', '0.40.0', '0.39.2'],
    ['0.50.0', '0.41.0', '0.40.0'],
    ['0.57.0', '0.42.0', '0.41.3'],
    ['0.58.0', '0.43.0', '0.42.1'],
    ['0.62.0', '0.44.0', '0.43.1'],
    ['0.63.0', 'main', '0.44.1'],
    ['57', '0.42.1', '0.41.3'],
  ])('required_engine_version %s loads on %s; refused on %s', (required, loadsOn, refusedOn) => {
    const text = `- required_engine_version: ${required}\n${rule('evt.type = open')}`;
    expect(loads(loadFor(loadsOn, text))).toBe(true);
    if (refusedOn) {
      const refused = errors(loadFor(refusedOn, text));
      expect(refused.map((d) => d.code)).toEqual(['LOAD_ERR_VALIDATE']);
      expect(refused[0]!.message).toMatch(/^Rules require engine version .*, but engine version is \d+\.\d+\.\d+$/);
    }
  });
});

describe('rule sources: a source no loaded plugin provides is skipped with LOAD_UNKNOWN_SOURCE', () => {
  it.each([
    ['k8s_audit', 'ka.verb = create', 'k8saudit'],
    ['aws_cloudtrail', 'ct.name = CreateUser', 'cloudtrail'],
    ['okta', 'okta.evt.type = x', 'okta'],
    ['github', 'github.type = push', 'github'],
    ['gcp_auditlog', 'gcp.user = x', 'gcpaudit'],
    ['k8s_audit', 'ka.user.name = admin', 'k8saudit'],
    ['aws_cloudtrail', 'ct.user = root', 'cloudtrail'],
    ['okta', 'okta.app = x', 'okta'],
    ['github', 'github.repo = x', 'github'],
    ['gcp_auditlog', 'gcp.policyDelta exists', 'gcpaudit'],
  ])('source %s (%s): skipped without %s, compiled with it', (source, condition, plugin) => {
    const text = rule(condition, `  source: ${source}\n`);
    const skipped = loadFor('0.44.1', text);
    expect(skipped.ok).toBe(true);
    expect(skipped.rules).toEqual([]);
    expect(skipped.diagnostics.map((d) => [d.code, d.message])).toEqual([['LOAD_UNKNOWN_SOURCE', `Unknown source ${source}, skipping`]]);
    const loaded = loadFor('0.44.1', text, ['container', plugin]);
    expect(errors(loaded)).toEqual([]);
    expect(loaded.rules.map((r) => r.source)).toEqual([source]);
  });
  it('an output field of an unloaded plugin source is no error: the rule is skipped before its output is compiled', () => {
    const text = rule('ct.name = x', '  source: aws_cloudtrail\n').replace('output: o', 'output: "user %json.value[/userIdentity/userName]"');
    expect(loadFor('0.44.1', text).ok).toBe(true);
  });
});

describe('required_plugin_versions against the target (falco_engine::check_plugin_requirements)', () => {
  const req = (name: string, version: string, alternatives = '') =>
    `- required_plugin_versions:\n  - name: ${name}\n    version: ${version}\n${alternatives}${rule('evt.type = open')}`;
  const alt = (name: string, version: string) => `    alternatives:\n      - name: ${name}\n        version: ${version}\n`;
  it.each([
    [req('container', '0.3.0'), ['container@0.3.0'], null],
    [req('container', '0.3.0'), ['container@0.4.1'], null],
    [req('container', '0.3.5'), ['container@0.3.4'], "Plugin 'container' version '0.3.4' is not compatible with required plugin version '0.3.5'"],
    [req('container', '0.3.0'), ['container@1.0.0'], "Plugin 'container' version '1.0.0' is not compatible with required plugin version '0.3.0'"],
    [req('k8saudit', '0.7.0'), ['container'], 'Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0)'],
    [req('k8saudit', '0.7.0', alt('k8saudit-eks', '0.4.0')), ['k8saudit-eks@0.4.2'], null],
    [
      req('k8saudit', '0.7.0', alt('k8saudit-eks', '0.4.0')),
      ['k8saudit-eks@0.3.9'],
      "Plugin 'k8saudit-eks' version '0.3.9' is not compatible with required plugin version '0.4.0'",
    ],
    [
      req('k8saudit', '0.7.0', alt('k8saudit-eks', '0.4.0')),
      [],
      'Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0), k8saudit-eks (>= 0.4.0)',
    ],
    // the first alternative whose name is loaded decides; later ones are not tried
    [
      req('k8saudit', '0.7.0', alt('k8saudit-eks', '0.4.0')),
      ['k8saudit@0.6.0', 'k8saudit-eks@0.5.0'],
      "Plugin 'k8saudit' version '0.6.0' is not compatible with required plugin version '0.7.0'",
    ],
    [req('json', '0.7.0'), ['json@0.7.0'], null],
  ])('%#', (text, plugins, message) => {
    const r = loadFor('0.44.1', text, plugins);
    expect(errors(r).map((d) => d.message)).toEqual(message === null ? [] : [message]);
    if (message !== null) expect(errors(r)[0]).toMatchObject({ code: 'LOAD_ERR_VALIDATE', location: { file: 'r.yaml', line: 1 } });
  });
});
