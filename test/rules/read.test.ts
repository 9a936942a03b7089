import { describe, expect, it } from 'vitest';
import { readRulesFile } from '../../src/rules/read-rules-file.js';
import { createHash } from 'node:crypto';
import type { ListItem, MacroItem, RuleItem } from '../../src/rules/model.js';
import { missingUpstream, readUpstream, upstreamManifest } from '../helpers/shared.js';

const read = (text: string) => readRulesFile({ path: 'r.yaml', text });
/** code, message, itemType, itemName and line:column of each diagnostic. */
const diags = (text: string) =>
  read(text).diagnostics.map((d) => [d.code, d.message, d.itemType, d.itemName, `${d.location.line}:${d.location.column}`]);

const RULE = '- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';

describe('documents (§1.1)', () => {
  it('reads every document, skipping null documents and null entries', () => {
    const f = read('- list: a\n  items: [x]\n---\n---\n- ~\n- list: b\n  items: []\n');
    expect(f.items.map((i) => (i as ListItem).name)).toEqual(['a', 'b']);
    expect(f.diagnostics).toEqual([]);
  });

  it.each([
    ['a mapping', 'list: a\n', 'Rules content is not yaml array of objects', '1:1'],
    ['a scalar', 'hello\n', 'Rules content is not yaml', '1:1'],
  ])('a document that is %s is refused', (_, text, message, at) => {
    expect(diags(text)).toEqual([['LOAD_ERR_YAML_VALIDATE', message, 'rules content', '', at]]);
  });

  it('a non-map entry is an error and reading stops there, keeping earlier items', () => {
    const f = read('- list: a\n  items: [x]\n- just text\n- list: b\n  items: [y]\n');
    expect(f.items.map((i) => i.kind)).toEqual(['list']);
    expect(diags('- list: a\n  items: [x]\n- just text\n')).toEqual([
      ['LOAD_ERR_YAML_VALIDATE', 'Unexpected element type. Each element should be a yaml associative array.', 'rules content item', '', '3:3'],
    ]);
  });

  it('a YAML syntax error is LOAD_ERR_YAML_PARSE with its position and no items', () => {
    const f = read('- list: a\n  items: [x\n- rule: b\n');
    expect(f.items).toEqual([]);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]!.code).toBe('LOAD_ERR_YAML_PARSE');
    expect(f.diagnostics[0]!.location.line).toBeGreaterThanOrEqual(2);
  });

  it('kind goes by key precedence, not key order, and other keys draw LOAD_UNKNOWN_KEY', () => {
    const f = read('- rule: r\n  list: l\n  items: [a]\n');
    expect(f.items.map((i) => i.kind)).toEqual(['list']);
    expect(diags('- rule: r\n  list: l\n  items: [a]\n')).toEqual([
      ['LOAD_UNKNOWN_KEY', "Unknown key 'rule'. The key will be ignored.", 'list', 'l', '1:3'],
    ]);
  });

  it('an item with no kind key is LOAD_UNKNOWN_ITEM and is skipped', () => {
    expect(diags('- foo: bar\n')).toEqual([['LOAD_UNKNOWN_ITEM', 'Unknown top level item', 'rules content item', '', '1:3']]);
    expect(read('- foo: bar\n').items).toEqual([]);
  });

  it('records key and value positions, the comment above and a sha256 of the text', () => {
    const f = read('# falco-gitops-disable-next-item x: y\n- macro: m\n  condition: >\n    a and b\n');
    const m = f.items[0]!;
    expect(m.keyLocs.condition).toEqual({ file: 'r.yaml', line: 3, column: 3 });
    expect(m.valueLocs.condition).toEqual({ file: 'r.yaml', line: 3, column: 14 });
    expect(m.commentBefore).toBe(' falco-gitops-disable-next-item x: y');
    expect(m).toMatchObject({ kind: 'macro', condition: 'a and b\n' });
    expect(f.sha256).toBe(createHash('sha256').update('# falco-gitops-disable-next-item x: y\n- macro: m\n  condition: >\n    a and b\n').digest('hex'));
  });

  it('a blank line between a comment and the item detaches the comment', () => {
    expect(read('# note\n\n- list: a\n  items: []\n').items[0]!.commentBefore).toBeUndefined();
  });
});

describe('scalars (§1.2)', () => {
  it('strings are the raw scalar text: numbers are never canonicalised', () => {
    const list = read('- list: l\n  items: [1, 1.50, 0x10, true, "", ~x]\n').items[0] as ListItem;
    expect(list.items).toEqual(['1', '1.50', '0x10', 'true', '', '~x']);
    expect(list.itemLocs.map((l) => l.column)).toEqual([11, 14, 20, 26, 32, 36]);
  });

  it.each([
    ['yes', true], ['"yes"', true], ['Yes', true], ['YES', true], ['y', true], ['On', true], ['TRUE', true],
    ['no', false], ["'off'", false], ['N', false], ['False', false],
  ])('enabled: %s decodes as YAML 1.1 (%s), even quoted', (text, value) => {
    const rule = read(`${RULE}  enabled: ${text}\n`).items[0] as RuleItem;
    expect(rule.fields.enabled).toBe(value);
  });

  it.each(['maybe', 'yEs', 'tRUE', '1'])('enabled: %s cannot be decoded', (text) => {
    expect(diags(`${RULE}  enabled: ${text}\n`)).toEqual([["LOAD_ERR_YAML_VALIDATE", "Can't decode YAML scalar value", 'rule', 'R', '6:12']]);
  });

  it.each([
    ['10', 10], ['0x1A', 26], ['010', 8], ['"7"', 7], ['4294967295', 4294967295],
  ])('capture_duration: %s is an unsigned 32-bit integer (%d)', (text, value) => {
    expect((read(`${RULE}  capture_duration: ${text}\n`).items[0] as RuleItem).fields.capture_duration).toBe(value);
  });

  it.each(['-1', 'abc', '4294967296', '1.5'])('capture_duration: %s cannot be decoded', (text) => {
    expect(diags(`${RULE}  capture_duration: ${text}\n`)[0]!.slice(0, 4)).toEqual(['LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", 'rule', 'R']);
  });

  it.each([
    ['a missing key', '- macro: m\n', ['LOAD_ERR_YAML_VALIDATE', "Item has no mapping for key 'condition'", 'macro', 'm', '1:3']],
    ['a null value', '- macro: m\n  condition:\n', ['LOAD_ERR_YAML_VALIDATE', "Mapping for key 'condition' is empty", 'macro', 'm', '2:3']],
    ['a ~ value', '- macro: m\n  condition: ~\n', ['LOAD_ERR_YAML_VALIDATE', "Mapping for key 'condition' is empty", 'macro', 'm', '2:3']],
    ['a sequence', '- macro: m\n  condition: [a]\n', ['LOAD_ERR_YAML_VALIDATE', 'Value is not a scalar value', 'macro', 'm', '2:14']],
    ['an empty string', '- macro: m\n  condition: ""\n', ['LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', 'macro', 'm', '2:14']],
    ['items not a sequence', '- list: l\n  items: a\n', ['LOAD_ERR_YAML_VALIDATE', 'Value is not a sequence', 'list', 'l', '2:10']],
    ['items null', '- list: l\n  items:\n', ['LOAD_ERR_YAML_VALIDATE', 'Value is not a sequence', 'list', 'l', '2:9']],
    ['a nested item', '- list: l\n  items: [a, [b]]\n', ['LOAD_ERR_YAML_VALIDATE', 'sequence value is not scalar', 'list', 'l', '2:14']],
    ['a null item', '- list: l\n  items: [a, ~]\n', ['LOAD_ERR_YAML_VALIDATE', 'sequence value is not scalar', 'list', 'l', '2:14']],
    ['a tag that is a map', `${RULE}  tags: [{a: b}]\n`, ['LOAD_ERR_YAML_VALIDATE', 'sequence value is not scalar', 'rule', 'R', '6:10']],
  ])('%s', (_, text, expected) => {
    expect(diags(text)).toEqual([expected]);
  });
});

describe('required_engine_version and required_plugin_versions (§1.3, §1.4)', () => {
  it.each([
    ['26', '0.26.0'], ["'26'", '0.26.0'], ['0.26.0', '0.26.0'], ['0.26.0-rc1', '0.26.0'], ['0.010.2', '0.10.2'],
  ])('%s means %s', (text, version) => {
    expect(read(`- required_engine_version: ${text}\n`).items[0]).toMatchObject({ kind: 'required_engine_version', version });
  });

  it.each(['0.26', 'v0.26.0', 'seven'])('%s is not a version', (text) => {
    expect(diags(`- required_engine_version: ${text}\n`)).toEqual([
      ['LOAD_ERR_YAML_VALIDATE', `Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`, 'required_engine_version', '', '1:28'],
    ]);
  });

  it('plugin requirements keep their alternatives in order', () => {
    const f = read('- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.4.0\n  - name: json\n    version: 0.2.0\n');
    expect(f.items[0]).toMatchObject({
      plugins: [
        { name: 'k8saudit', version: '0.7.0', alternatives: [{ name: 'k8saudit-eks', version: '0.4.0' }] },
        { name: 'json', version: '0.2.0', alternatives: [] },
      ],
    });
  });

  it.each([
    ['- required_plugin_versions: x\n', 'Value of required_plugin_versions must be a sequence', 'required plugin versions', '', '1:29'],
    ['- required_plugin_versions: [x]\n', 'Plugin version must be a mapping', 'required plugin versions entry', '', '1:30'],
    ['- required_plugin_versions: [{name: a}]\n', "Item has no mapping for key 'version'", 'required plugin versions entry', 'a', '1:30'],
    ['- required_plugin_versions: [{name: a, version: 1.0.0, alternatives: x}]\n', 'Value of plugin version alternatives must be a sequence', 'required plugin versions entry', 'a', '1:30'],
    ['- required_plugin_versions: [{name: a, version: 1.0.0, alternatives: [x]}]\n', 'Plugin version alternative must be a mapping', 'required plugin versions entry', 'a', '1:71'],
  ])('%s', (text, message, type, name, at) => {
    expect(diags(text)).toEqual([['LOAD_ERR_YAML_VALIDATE', message, type, name, at]]);
  });
});

describe('lists and macros (§1.5, §1.6, §2.2)', () => {
  it('invalid names are warnings, not errors', () => {
    expect(diags('- macro: my-macro\n  condition: a\n- list: "a b"\n  items: []\n')).toEqual([
      ['LOAD_INVALID_MACRO_NAME', 'Macro has an invalid name. Macro names must match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)', 'macro', 'my-macro', '1:10'],
      ['LOAD_INVALID_LIST_NAME', 'List has an invalid name. List names must match a regular expression: ([^()"\'[:space:]=,]+)', 'list', 'a b', '3:9'],
    ]);
  });

  it('append: true is a deprecated append; override: {items: append} is a silent one', () => {
    const f = read('- list: a\n  items: [x]\n  append: true\n- list: b\n  items: [y]\n  override: {items: append}\n- list: c\n  items: []\n  append: false\n');
    expect(f.items.map((i) => [(i as ListItem).append, (i as ListItem).override])).toEqual([[true, undefined], [false, { items: 'append' }], [false, undefined]]);
    expect(f.diagnostics.map((d) => [d.code, d.message, `${d.location.line}:${d.location.column}`])).toEqual([
      ['LOAD_DEPRECATED_ITEM', "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", '3:3'],
    ]);
  });

  it.each([
    ['append with override', '- list: a\n  items: []\n  append: true\n  override: {items: append}\n', "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", 'list', 'a', '3:3'],
    ['an unknown operation', '- macro: m\n  condition: a\n  override: {condition: merge}\n', "Invalid override operation for key 'condition': 'merge'. Allowed values are: append replace ", 'macro', 'm', '3:25'],
    ['a key that cannot be overridden', '- list: a\n  items: []\n  override: {name: replace}\n', "Key 'name' cannot be replaced", 'list', 'a', '3:14'],
  ])('%s', (_, text, message, type, name, at) => {
    expect(diags(text).filter((d) => d[0] !== 'LOAD_DEPRECATED_ITEM')).toEqual([['LOAD_ERR_YAML_VALIDATE', message, type, name, at]]);
  });

  it('override: {} and a scalar override are no override; a misspelt key is a plain define plus LOAD_UNKNOWN_KEY', () => {
    const f = read('- macro: m\n  condition: a\n  override: {}\n- macro: n\n  condition: b\n  override: x\n- macro: o\n  condition: c\n  override_written_wrong: {condition: append}\n');
    expect(f.items.map((i) => (i as MacroItem).override)).toEqual([undefined, undefined, undefined]);
    expect(f.diagnostics.map((d) => d.code)).toEqual(['LOAD_UNKNOWN_KEY']);
  });
});

describe('rules (§1.7, §1.8, §2.3)', () => {
  it('a full definition decodes every field with its default', () => {
    const r = read(`${RULE.replace('output: o', 'output: "  o %proc.name \\n"')}  tags: [b, a, b]\n`).items[0] as RuleItem;
    expect(r.shape).toBe('define');
    expect(r.fields).toEqual({
      condition: 'evt.type = open', output: 'o %proc.name', desc: 'd', priority: 'Informational', source: 'syscall', enabled: true,
      warn_evttypes: true, 'skip-if-unknown-filter': false, capture: false, capture_duration: 0, tags: ['a', 'b'], exceptions: [],
    });
  });

  it.each([
    ['WARNING', 'Warning'], ['warning', 'Warning'], ['info', 'Informational'], ['Informational', 'Informational'], ['EMERGENCY', 'Emergency'],
  ])('priority %s is %s', (text, priority) => {
    expect((read(RULE.replace('INFO', text)).items[0] as RuleItem).fields.priority).toBe(priority);
  });

  it.each(['warn', 'crit', 'err'])('priority %s is invalid', (text) => {
    expect(diags(RULE.replace('INFO', text))).toEqual([['LOAD_ERR_YAML_VALIDATE', 'Invalid priority', 'rule', 'R', '5:13']]);
  });

  it('mandatory keys are checked in the order condition, output, desc, priority', () => {
    expect(diags('- rule: R\n  priority: INFO\n  desc: d\n')[0]![1]).toBe("Item has no mapping for key 'condition'");
    expect(diags('- rule: R\n  condition: c\n  desc: d\n')[0]![1]).toBe("Item has no mapping for key 'output'");
    expect(diags(`${RULE}  desc: ""\n`.replace('  desc: d\n', ''))).toEqual([['LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', 'rule', 'R', '5:9']]);
    expect(diags(`${RULE}  source: ""\n`)).toEqual([['LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', 'rule', 'R', '6:11']]);
  });

  it('the legacy append reads only condition and exceptions', () => {
    const f = read('- rule: R\n  condition: and x\n  output: ignored\n  enabled: false\n  append: true\n');
    expect(f.items[0]).toMatchObject({ shape: 'append', fields: { condition: 'and x' } });
    expect((f.items[0] as RuleItem).fields.enabled).toBeUndefined();
    expect(f.diagnostics.map((d) => d.code)).toEqual(['LOAD_DEPRECATED_ITEM']);
  });

  it('the enabled-only form requires enabled and is deprecated', () => {
    const f = read('- rule: R\n  enabled: false\n  tags: [ignored]\n');
    expect(f.items[0]).toMatchObject({ shape: 'enabled-only', fields: { enabled: false } });
    expect(f.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['LOAD_DEPRECATED_ITEM', "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace')."],
    ]);
    expect(diags('- rule: R\n  tags: [a]\n')).toEqual([['LOAD_ERR_YAML_VALIDATE', "Item has no mapping for key 'enabled'", 'rule', 'R', '1:3']]);
  });

  it('an override item decodes exactly the keys under override', () => {
    const r = read('- rule: R\n  condition: and b\n  priority: warning\n  tags: [z, y]\n  override:\n    condition: append\n    priority: replace\n    tags: append\n').items[0] as RuleItem;
    expect(r).toMatchObject({ shape: 'override', override: { condition: 'append', tags: 'append', priority: 'replace' }, fields: { condition: 'and b', priority: 'Warning', tags: ['y', 'z'] } });
  });

  it.each([
    ['append on a replace-only key', '  enabled: false\n  override: {enabled: append}\n', "Key 'enabled' cannot be appended to, use 'replace' instead", 'rule', 'R', '3:14'],
    ['replace on source', '  source: x\n  override: {source: replace}\n', "Key 'source' cannot be replaced", 'rule', 'R', '3:14'],
    ['a bad operation', '  priority: INFO\n  override: {priority: add}\n', "Invalid override operation for key 'priority': 'add'. Allowed values are: replace ", 'rule', 'R', '3:24'],
    ['an append for a missing key', '  override: {condition: append}\n', "An append override for 'condition' was specified but 'condition' is not defined", 'rule', 'R', '2:14'],
    ['a replace for a missing key', '  override: {output: replace}\n', "An replace override for 'output' was specified but 'output' is not defined", 'rule', 'R', '2:14'],
    ['a key without an entry', '  condition: a\n  priority: INFO\n  enabled: true\n  override: {condition: append}\n', "Unexpected key 'enabled': no corresponding entry under 'override' is defined.", 'rule', 'R', '4:3'],
    ['override with append: true', '  condition: a\n  append: true\n  override: {condition: append}\n', "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", 'rule', 'R', '3:3'],
  ])('%s', (_, rest, message, type, name, at) => {
    expect(diags(`- rule: R\n${rest}`).filter((d) => d[0] === 'LOAD_ERR_YAML_VALIDATE')).toEqual([['LOAD_ERR_YAML_VALIDATE', message, type, name, at]]);
  });
});

describe('exceptions (§2.6 shape)', () => {
  const withExceptions = (ex: string) => `${RULE}  exceptions:\n${ex}`;

  it('decodes scalar and list forms with raw values', () => {
    const r = read(withExceptions('    - name: a\n      fields: proc.name\n      values: [cat, 1.0]\n    - name: b\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values: [[vim, /etc/], [[nano, ed], /tmp/]]\n')).items[0] as RuleItem;
    expect(r.fields.exceptions!.map(({ loc, fieldLocs, ...e }) => e)).toEqual([
      { name: 'a', fields: 'proc.name', values: ['cat', '1.0'] },
      { name: 'b', fields: ['proc.name', 'fd.name'], comps: ['=', 'startswith'], values: [['vim', '/etc/'], [['nano', 'ed'], '/tmp/']] },
    ]);
  });

  it('`exceptions:` with no value means none', () => {
    expect((read(`${RULE}  exceptions:\n`).items[0] as RuleItem).fields.exceptions).toEqual([]);
  });

  it.each([
    ['not a sequence', '    x\n', 'Rule exceptions must be a sequence', 'rule', 'R', '7:5'],
    ['an entry that is not a map', '    - x\n', 'Rule exception must be a mapping', 'exception', '', '7:7'],
    ['no name', '    - fields: a\n', "Item has no mapping for key 'name'", 'exception', '', '7:7'],
    ['values not a sequence', '    - name: e\n      fields: a\n      values: x\n', 'Rule exception values must be a sequence', 'exception', 'e', '9:15'],
    ['no fields outside append mode', '    - name: e\n      values: [x]\n', "Item has no mapping for key 'fields'", 'exception', 'e', '7:7'],
    ['an empty value', '    - name: e\n      fields: [a]\n      values: [[""]]\n', 'Value must be non-empty', 'exception', 'e', '9:17'],
  ])('%s', (_, ex, message, type, name, at) => {
    expect(diags(withExceptions(ex))).toEqual([['LOAD_ERR_YAML_VALIDATE', message, type, name, at]]);
  });

  it('a repeated name warns and both entries are kept', () => {
    const text = withExceptions('    - {name: e, fields: a, values: [x]}\n    - {name: e, fields: b, values: [y]}\n');
    expect(diags(text)).toEqual([['LOAD_EXCEPTION_NAME_NOT_UNIQUE', "Multiple definitions of exception 'e' in the same rule", 'exception', 'e', '8:7']]);
    expect((read(text).items[0] as RuleItem).fields.exceptions).toHaveLength(2);
  });

  it('in append mode fields are optional and a missing values list warns', () => {
    const text = '- rule: R\n  exceptions:\n    - name: e\n  override: {exceptions: append}\n';
    expect(diags(text)).toEqual([['LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', 'exception', 'e', '3:7']]);
  });
});

describe.skipIf(missingUpstream())('upstream rulesets', () => {
  it('every released upstream file reads with no error', () => {
    for (const entry of upstreamManifest()) {
      const f = readRulesFile(readUpstream(entry.file));
      expect(f.diagnostics.filter((d) => d.severity === 'error'), entry.file).toEqual([]);
      expect(f.items.length, entry.file).toBeGreaterThan(10);
    }
  });
});
