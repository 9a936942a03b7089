import { describe, expect, it } from 'vitest';
import { readRulesFile } from '../../src/rules/read-rules-file.js';
import { mergeRulesFiles, type MergeOptions } from '../../src/rules/merge-rules-files.js';
import { missingUpstreamHistory, readUpstream, upstreamManifest, type UpstreamManifestEntry } from '../helpers/shared.js';

/** Merges inline files in order; names are a.yaml, b.yaml, … */
const merge = (texts: string[], options?: MergeOptions) =>
  mergeRulesFiles(texts.map((text, i) => readRulesFile({ path: `${String.fromCharCode(97 + i)}.yaml`, text })), options);
const errors = (texts: string[], options?: MergeOptions) =>
  merge(texts, options).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message, d.itemType, d.itemName, `${d.location.file}:${d.location.line}:${d.location.column}`]);

const rule = (name: string, extra = '', condition = 'evt.type = open') =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;

describe('collector model (§2.1)', () => {
  it('one seq across kinds and files; redefinition keeps index, takes a new visibility', () => {
    const r = merge(['- list: a\n  items: [x]\n- macro: m\n  condition: a\n', `${rule('R')}- list: a\n  items: [y]\n`]);
    expect([...r.lists.values()].map((e) => [e.name, e.index, e.visibility, e.items])).toEqual([['a', 0, 3, ['y']]]);
    expect([r.macros.get('m')!.index, r.rules.get('R')!.index]).toEqual([1, 2]);
    expect(r.lists.get('a')!.loc).toEqual({ file: 'a.yaml', line: 1, column: 3 });
    expect(r.lists.get('a')!.history.map((c) => [c.action, c.loc.file])).toEqual([['define', 'a.yaml'], ['redefine', 'b.yaml']]);
  });

  it('a redefined rule keeps its position and resets unspecified fields to defaults', () => {
    const r = merge([`${rule('A', '  enabled: false\n  tags: [t]\n')}${rule('B')}`, rule('A', '', 'evt.type = close')]);
    expect([...r.rules.keys()]).toEqual(['A', 'B']);
    expect(r.rules.get('A')).toMatchObject({ index: 0, visibility: 2, enabled: true, tags: [], condition: 'evt.type = close' });
  });

  it('the enabled-only toggle does not bump seq', () => {
    const r = merge([`${rule('R')}- rule: R\n  enabled: false\n- list: l\n  items: []\n`]);
    expect(r.rules.get('R')!.enabled).toBe(false);
    expect(r.lists.get('l')!.index).toBe(1);
    expect(r.rules.get('R')!.history.map((c) => c.action)).toEqual(['define', 'enable']);
  });
});

describe('lists and macros (§2.2)', () => {
  it('appends concatenate items (duplicates kept) and join conditions with one space, no parentheses', () => {
    const r = merge([
      '- list: l\n  items: [a, b]\n- macro: m\n  condition: a and b\n',
      '- list: l\n  items: [b, c]\n  override: {items: append}\n- macro: m\n  condition: or x\n  append: true\n',
    ]);
    expect(r.lists.get('l')).toMatchObject({ items: ['a', 'b', 'b', 'c'], index: 0, visibility: 2 });
    expect(r.macros.get('m')).toMatchObject({ condition: 'a and b or x', index: 1, visibility: 3 });
    expect(r.macros.get('m')!.conditionSegments).toEqual([
      { offset: 0, loc: { file: 'a.yaml', line: 4, column: 14 }, textColumn: 14 },
      { offset: 8, loc: { file: 'b.yaml', line: 5, column: 14 }, textColumn: 14 },
    ]);
  });

  it('replace needs no previous definition', () => {
    const r = merge(['- list: l\n  items: [a]\n  override: {items: replace}\n- macro: m\n  condition: x\n  override: {condition: replace}\n']);
    expect(r.diagnostics).toEqual([]);
    expect(r.lists.get('l')!.items).toEqual(['a']);
  });

  it.each([
    ['list', '- list: l\n  items: [a]\n  override: {items: append}\n', "List uses 'append' or 'override.items: append' but no list by that name already exists", 'l'],
    ['macro', '- macro: m\n  condition: x\n  append: true\n', "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", 'm'],
  ])('a %s append with no previous entry fails, even when the definition comes later in the file', (kind, text, message, name) => {
    const def = kind === 'list' ? '- list: l\n  items: []\n' : '- macro: m\n  condition: y\n';
    expect(errors([text + def])).toEqual([['LOAD_ERR_VALIDATE', message, kind, name, 'a.yaml:1:3']]);
  });
});

describe('rules (§2.3)', () => {
  it('§2.5 example: condition and desc appended, priority replaced, position unchanged', () => {
    const r = merge([
      '- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n- rule: R\n  condition: and proc.name = cat\n  desc: more\n  priority: WARNING\n  override: {condition: append, desc: append, priority: replace}\n',
    ]);
    expect(r.rules.get('R')).toMatchObject({ condition: 'evt.type = open and proc.name = cat', desc: 'd more', priority: 'Warning', index: 0, visibility: 2 });
    expect(r.rules.get('R')!.history.map((c) => [c.field, c.action, c.loc.line])).toEqual([
      ['*', 'define', 1], ['condition', 'append', 7], ['desc', 'append', 8], ['priority', 'replace', 9],
    ]);
    expect(r.rules.get('R')!.conditionSegments.map((s) => [s.offset, s.loc.line])).toEqual([[0, 3], [16, 7]]);
  });

  it('override append on output and tags; replace on tags, enabled and capture', () => {
    const r = merge([
      rule('R', '  tags: [b, a]\n'),
      '- rule: R\n  output: more\n  tags: [c, a]\n  override: {output: append, tags: append}\n- rule: R\n  tags: [z]\n  enabled: false\n  capture: true\n  capture_duration: 5\n  override: {tags: replace, enabled: replace, capture: replace, capture_duration: replace}\n',
    ]);
    expect(r.rules.get('R')).toMatchObject({ output: 'o more', tags: ['z'], enabled: false, capture: true, capture_duration: 5, visibility: 2 });
  });

  it('the legacy append ignores enabled and output, and skips an empty join', () => {
    const r = merge([rule('R'), '- rule: R\n  condition: and proc.name = cat\n  enabled: false\n  output: nope\n  append: true\n']);
    expect(r.rules.get('R')).toMatchObject({ condition: 'evt.type = open and proc.name = cat', enabled: true, output: 'o' });
  });

  it.each([
    ['legacy append', '- rule: R\n  condition: x\n  append: true\n', "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"],
    ['override append', '- rule: R\n  condition: x\n  override: {condition: append}\n', "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"],
    ['override replace', '- rule: R\n  condition: x\n  override: {condition: replace}\n', "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists"],
    ['enabled-only', '- rule: R\n  enabled: false\n', "Rule has 'enabled' key but no rule by that name already exists"],
  ])('%s with no previous rule fails', (_, text, message) => {
    expect(errors([text])).toEqual([['LOAD_ERR_VALIDATE', message, 'rule', 'R', 'a.yaml:1:3']]);
  });

  it('a legacy append with neither condition nor exceptions fails', () => {
    expect(errors([rule('R'), '- rule: R\n  output: x\n  append: true\n'])).toEqual([
      ['LOAD_ERR_VALIDATE', 'Appended rule must have exceptions or condition property', 'rule', 'R', 'b.yaml:1:3'],
    ]);
  });

  it('redefining a plugin-source rule without its source is an error; so is an override naming another source', () => {
    const k8s = rule('K', '  source: k8s_audit\n', 'ka.verb = GET');
    expect(errors([k8s, rule('K')])).toEqual([['LOAD_ERR_VALIDATE', 'Rule has been re-defined with a different source', 'rule', 'K', 'b.yaml:1:3']]);
    expect(errors([k8s, '- rule: K\n  condition: x\n  source: syscall\n  override: {condition: replace}\n'])).toEqual([
      ['LOAD_ERR_VALIDATE', 'Rule has been re-defined with a different source', 'rule', 'K', 'b.yaml:3:3'],
    ]);
    expect(errors([k8s, '- rule: K\n  condition: and x\n  source:\n  append: true\n'])).toEqual([]);
  });

  it('stops at the first error: later items and files are not merged', () => {
    const r = merge(['- list: l\n  items: [a]\n  append: true\n- list: m\n  items: []\n', '- list: n\n  items: []\n']);
    expect([...r.lists.keys()]).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['LOAD_DEPRECATED_ITEM', 'LOAD_ERR_VALIDATE']);
  });

  it('a reader error stops merging after the items before it', () => {
    const r = merge(['- list: a\n  items: []\n- list: b\n', '- list: c\n  items: []\n']);
    expect([...r.lists.keys()]).toEqual(['a']);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["Item has no mapping for key 'items'"]);
  });
});

describe('exceptions (§2.6 validation and merging)', () => {
  const ex = (body: string) => rule('R', `  exceptions:\n${body}`);

  it('defaults comps: = per field in list form, in for a single field', () => {
    const r = merge([ex('    - {name: a, fields: [proc.name, fd.name], values: [[x, y]]}\n    - {name: b, fields: proc.name, values: [x]}\n')]);
    expect(r.rules.get('R')!.exceptions.map((e) => [e.name, e.comps])).toEqual([['a', ['=', '=']], ['b', 'in']]);
  });

  it.each([
    ['empty fields', '    - {name: e, fields: [], values: [x]}\n', 'Rule exception item must have fields property with a list of fields'],
    ['comps of another length', '    - {name: e, fields: [a, b], comps: [=], values: []}\n', 'Fields and comps lists must have equal length'],
    ['scalar comps with list fields', '    - {name: e, fields: [a], comps: "=", values: []}\n', 'Fields and comps lists must have equal length'],
    ['an unknown operator', '    - {name: e, fields: [a], comps: [in oneof], values: []}\n', "'in oneof' is not a supported comparison operator"],
    ['list comps with a single field', '    - {name: e, fields: a, comps: [in], values: []}\n', 'Fields and comps must both be strings'],
    ['a non-list operator with a single field', '    - {name: e, fields: a, comps: "=", values: []}\n', 'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)'],
  ])('%s is an error', (_, body, message) => {
    expect(errors([ex(body)])).toEqual([['LOAD_ERR_VALIDATE', message, 'exception', 'e', 'a.yaml:7:7']]);
  });

  it('comps are trimmed; modifier operators are accepted', () => {
    const r = merge([ex('    - {name: e, fields: [a, b], comps: [" startswith ", "startswith oneof"], values: []}\n    - {name: f, fields: c, comps: endswith anyof, values: []}\n')]);
    expect(r.rules.get('R')!.exceptions.map((e) => e.comps)).toEqual([['startswith', 'startswith oneof'], 'endswith anyof']);
  });

  it('field names are checked through the hook, with the rule source', () => {
    const seen: string[] = [];
    const isKnownField = (source: string, field: string) => (seen.push(`${source}:${field}`), field !== 'proc.nme');
    expect(errors([ex('    - {name: e, fields: [proc.name, proc.nme], values: []}\n')], { isKnownField })).toEqual([
      ['LOAD_ERR_VALIDATE', "'proc.nme' is not a supported filter field", 'exception', 'e', 'a.yaml:7:37'], // the field itself, not the exception
    ]);
    expect(seen).toEqual(['syscall:proc.name', 'syscall:proc.nme']);
  });

  it('an append adds values to a known name and validates a new one', () => {
    const r = merge([
      ex('    - {name: e, fields: [proc.name], values: [[a]]}\n'),
      '- rule: R\n  exceptions:\n    - {name: e, values: [[b]]}\n    - {name: f, fields: fd.name, values: [/tmp]}\n  override: {exceptions: append}\n',
    ]);
    expect(r.rules.get('R')!.exceptions.map(({ loc, fieldLocs, ...e }) => e)).toEqual([
      { name: 'e', fields: ['proc.name'], comps: ['='], values: [['a'], ['b']] },
      { name: 'f', fields: 'fd.name', comps: 'in', values: ['/tmp'] },
    ]);
  });

  it.each([
    ['a new name without fields', '    - {name: g, values: [x]}\n', 'Rule exception must have fields property with a list of fields', 'g'],
    ['a new name without values', '    - {name: g, fields: a, values: []}\n', 'Rule exception must have values property with a list of values', 'g'],
    ['fields for a known name', '    - {name: e, fields: [a], values: [[x]]}\n', 'Can not append exception fields to existing exception, only values', 'e'],
    ['comps for a known name', '    - {name: e, comps: [=], values: [[x]]}\n', 'Can not append exception comps to existing exception, only values', 'e'],
  ])('appending %s fails', (_, body, message, name) => {
    expect(errors([ex('    - {name: e, fields: [proc.name], values: [[a]]}\n'), `- rule: R\n  exceptions:\n${body}  append: true\n`])).toEqual([
      ['LOAD_ERR_VALIDATE', message, 'exception', name, 'b.yaml:3:7'],
    ]);
  });

  it('replace assigns exceptions as written, without validation or defaults', () => {
    const r = merge([ex('    - {name: e, fields: [proc.name], values: [[a]]}\n'), '- rule: R\n  exceptions:\n    - {name: n, fields: proc.name, comps: "=", values: [x]}\n  override: {exceptions: replace}\n']);
    expect(r.diagnostics).toEqual([]);
    expect(r.rules.get('R')!.exceptions.map((e) => [e.name, e.comps])).toEqual([['n', '=']]);
  });
});

describe('version requirements (§1.3, §1.4)', () => {
  it('keeps the highest engine version and checks each against the engine', () => {
    expect(merge(['- required_engine_version: 0.26.0\n', '- required_engine_version: 12\n- required_engine_version: 0.31.0\n']).requiredEngineVersion).toBe('0.31.0');
    expect(merge(['- list: a\n  items: []\n']).requiredEngineVersion).toBeNull();
  });

  it.each([['1.0.0'], ['0.63.1'], ['64']])('%s is incompatible with engine 0.63.0', (v) => {
    const shown = v === '64' ? '0.64.0' : v;
    expect(errors([`- required_engine_version: ${v}\n`])).toEqual([
      ['LOAD_ERR_VALIDATE', `Rules require engine version ${shown}, but engine version is 0.63.0`, 'required_engine_version', '', 'a.yaml:1:28'],
    ]);
  });

  it('the engine version is an option', () => {
    expect(errors(['- required_engine_version: 0.50.0\n'], { engineVersion: '0.44.0' })[0]![1]).toBe('Rules require engine version 0.50.0, but engine version is 0.44.0');
  });

  it('plugin groups accumulate across files; bad versions and repeated names in a group fail', () => {
    const r = merge(['- required_plugin_versions:\n  - {name: a, version: 0.1.0}\n', '- required_plugin_versions:\n  - {name: a, version: 0.2.0, alternatives: [{name: b, version: 1.0.0}]}\n']);
    expect(r.requiredPluginVersions).toEqual([
      { name: 'a', version: '0.1.0', alternatives: [] },
      { name: 'a', version: '0.2.0', alternatives: [{ name: 'b', version: '1.0.0' }] },
    ]);
    expect(errors(['- required_plugin_versions:\n  - {name: a, version: latest}\n'])[0]![1]).toBe("Invalid required version 'latest' for plugin 'a'");
    expect(errors(['- required_plugin_versions:\n  - {name: a, version: 1.0.0, alternatives: [{name: a, version: 2.0.0}]}\n'])[0]![1]).toBe(
      "Defined multiple alternative version requirements for plugin 'a'",
    );
  });
});

describe.skipIf(missingUpstreamHistory())('upstream rulesets', () => {
  const manifest = upstreamManifest();

  it('every upstream file merges alone with no error', () => {
    for (const entry of manifest) {
      const r = mergeRulesFiles([readRulesFile(readUpstream(entry.file))]);
      expect(r.diagnostics.filter((d) => d.severity === 'error'), entry.file).toEqual([]);
      expect(r.rules.size, entry.file).toBeGreaterThan(0);
    }
  });

  it('each release trio (falco, incubating, sandbox as of one date) merges in order with no error', () => {
    const latest = (ruleset: UpstreamManifestEntry['ruleset'], date: string) =>
      manifest.filter((e) => e.ruleset === ruleset && e.date <= date).sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1);
    const dates = [...new Set(manifest.filter((e) => e.ruleset !== 'falco_rules').map((e) => e.date))].sort();
    expect(dates.length).toBeGreaterThan(5);
    for (const date of dates) {
      const trio = [latest('falco_rules', date), latest('falco-incubating_rules', date), latest('falco-sandbox_rules', date)].filter((e) => e !== undefined);
      const r = mergeRulesFiles(trio.map((e) => readRulesFile(readUpstream(e.file))));
      expect(r.diagnostics.filter((d) => d.severity === 'error'), date).toEqual([]);
      expect(trio.length).toBe(3);
    }
  });
});
