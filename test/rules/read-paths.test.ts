import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRulesFile } from '../../src/rules/read-rules-file.js';
import { readCstDocuments } from '../../src/rules/yaml-cst-tree.js';
import { REPO_ROOT, missingUpstream, missingUpstreamHistory, readUpstream, upstreamManifest } from '../helpers/shared.js';

/** Reads a text through the CST path (where it applies) and through composed Documents, which must agree. */
function expectSameThroughBothPaths(path: string, text: string): void {
  const viaCst = readRulesFile({ path, text });
  const viaDocuments = readRulesFile({ path, text }, { yamlPath: 'document' });
  expect(viaCst).toEqual(viaDocuments);
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe.skipIf(missingUpstreamHistory())('the CST path reads what composed Documents read', () => {
  it('every released upstream ruleset, each through the CST path', () => {
    const manifest = upstreamManifest();
    expect(manifest.length).toBeGreaterThan(60);
    for (const entry of manifest) {
      const { path, text } = readUpstream(entry.file);
      expect(readCstDocuments(text), entry.file).toBeDefined();
      expectSameThroughBothPaths(path, text);
    }
  });

  it("the repository's own rules and environment files", () => {
    const files = [...yamlFilesUnder(join(REPO_ROOT, 'rules')), ...yamlFilesUnder(join(REPO_ROOT, 'environments'))];
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expectSameThroughBothPaths(relative(REPO_ROOT, file), readFileSync(file, 'utf8'));
  });

  const cstSnippets: [string, string][] = [
    ['numbers stay as written', '- list: l\n  items: [1.50, 0x10, 017, -0, 1e3, "2.0", \'3.10\']\n'],
    ['YAML 1.1 booleans from raw text', '- rule: r\n  enabled: Yes\n- rule: s\n  enabled: "off"\n- rule: t\n  enabled: oN\n'],
    ['null spellings', '- macro: a\n  condition:\n- macro: b\n  condition: ~\n'],
    ['null item value', '- list: l\n  items: [a, null, b]\n'],
    ['empty quoted value', "- macro: m\n  condition: ''\n"],
    ['duplicate keys: the first one counts', '- rule: a\n  rule: b\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  desc: e\n'],
    ['multiple documents', '- list: a\n  items: []\n---\n- macro: m\n  condition: x\n...\n---\n# c\n- list: b\n  items: [x]\n'],
    [
      'block scalars, folding and chomping',
      '- rule: r\n  desc: >\n    folded\n    text\n\n    para\n  condition: |-\n    a and\n      b\n  output: |+\n    kept\n\n  priority: >2-\n      indented\n',
    ],
    ['multi-line plain and quoted scalars', '- rule: r\n  desc: a\n    b\n\n    c\n  condition: "x and\n    y \\t \\u0041"\n  output: \'it\'\'s\n    two\'\n  priority: WARNING\n'],
    ['comments above items and keys', '# file header\n\n# about a\n# second line\n- list: a\n  # inside\n  items: [x] # trailing\n    # odd indent\n#flush\n- list: b # same line\n  items:\n    # before item\n    - y\n'],
    ['flow maps and nested sequences', '- rule: r\n  exceptions: [{name: e, fields: [proc.name, fd.name], comps: [=, startswith], values: [[bash, /tmp], [sh, /var]]}]\n  override: {exceptions: append}\n'],
    ['flow collections over several lines', '- list: l\n  items: [\n    a,   # one\n    "b",\n    c, ]\n- rule: r\n  override: {\n    condition: append\n  }\n  condition: and x\n'],
    ['empty documents and content', ''],
    ['only comments', '# nothing\n# here\n'],
    ['an empty sequence', '[]\n'],
    ['a map at the top', 'list: a\nitems: []\n'],
    ['a scalar at the top', 'hello\n'],
    ['an empty sequence entry', '-\n- list: a\n  items: [x]\n-   # comment\n'],
    ['an item that is not a map', '- list: a\n  items: []\n- [x]\n'],
    ['CRLF line ends', '- list: a\r\n  items: [x, y]\r\n\r\n# c\r\n- macro: m\r\n  condition: evt.type = open\r\n'],
    ['a document start with comments', '--- # start\n- list: a\n  items: [x]\n... # end\n'],
    ['compact nested sequences', '- - list: a\n    items: [x]\n'],
    ['exceptions in block style', '- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: NOTICE\n  exceptions:\n    - name: e\n      fields: proc.name\n      comps: in\n      values:\n        - [a, b]\n        -\n    - name: e\n'],
    ['plugin requirements with alternatives', '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.4.0\n- required_engine_version: 0.26.0\n- required_engine_version: 17\n'],
    ['unknown items and keys', '- foo: bar\n- list: a\n  items: []\n  extra: 1\n'],
    ['plain scalars with inner colons and hashes', '- macro: m\n  condition: fd.name=a:b and x#y\n'],
    ['a non-scalar override key', '- macro: m\n  condition: x\n  override:\n    condition: [append]\n'],
  ];

  it.each(cstSnippets)('%s (CST path)', (_name, text) => {
    expect(readCstDocuments(text)).toBeDefined();
    expectSameThroughBothPaths('snippet.yaml', text);
  });

  const composedSnippets: [string, string][] = [
    ['anchors and aliases', '- list: &n a\n  items: &i [x, y]\n- list: *n\n  items: *i\n'],
    ['an alias bomb', 'x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n---\n- list: l\n  items: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n'],
    ['tags', '- macro: !!str m\n  condition: !custom null\n'],
    ['a directive', '%YAML 1.2\n---\n- list: a\n  items: [x]\n'],
    ['an unterminated flow sequence', '- list: a\n  items: [x, y\n'],
    ['an unterminated quote', '- list: a\n  items: ["x]\n'],
    ['a compact nested map', '- list: a: b\n'],
    ['a tab as indentation', '- list: a\n\titems: [x]\n'],
    ['a parse error in a later document', '- list: a\n  items: [x]\n---\n- list: b\n  items: [\n'],
    ['an explicit key', '- ? list\n  : a\n  items: []\n'],
    ['a leading comma', '- list: a\n  items: [, x]\n'],
    ['an empty flow item', '- list: a\n  items: [x,, y]\n'],
    ['a pair inside a flow sequence', '- list: a\n  items: [x: y]\n'],
    ['a multi-line implicit key', '- list: a\n  "it\n  ems": []\n'],
    ['a block collection on the document start line', '--- - list: a\n'],
    ['a key over a thousand characters', `- list: a\n  ${'k'.repeat(1100)}: v\n`],
    ['a byte order mark before a sequence (yaml refuses it)', '\uFEFF- list: a\n  items: [x]\n'],
    ['a comment without a blank before it', '- list: a\n  items: [x,#c\n  ]\n'],
  ];

  it.each(composedSnippets)('%s (composed path)', (_name, text) => {
    expect(readCstDocuments(text)).toBeUndefined();
    expectSameThroughBothPaths('snippet.yaml', text);
  });
});

type Style = 'plain' | 'single' | 'double' | 'literal' | 'folded';
type Value =
  | { kind: 'scalar'; text: string; style: Style; chomp: '' | '-' | '+' }
  | { kind: 'empty' }
  | { kind: 'seq'; flow: boolean; items: Value[] }
  | { kind: 'map'; flow: boolean; pairs: [string, Value][] };

const KEYS = ['list', 'macro', 'rule', 'items', 'condition', 'desc', 'output', 'priority', 'enabled', 'tags', 'exceptions', 'override', 'source', 'append', 'name', 'fields', 'values', 'extra'];
const WORDS = ['', '~', 'null', 'NULL', 'yes', 'No', 'on', 'OFF', 'true', '1.50', '0x1F', '017', '-3', 'append', 'replace', 'INFO', 'a b', 'proc.name', "it's", 'say "hi"', 'a\\b', 'ünï', 'x:y', 'a #b', '- x', '[x]', 'evt.type = open and proc.name in (bash, sh)'];

const arbText = fc.oneof(fc.constantFrom(...WORDS), fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '#', '-', '"', "'", '\\', ',', '[', '{', '\n', '.', 'é'), maxLength: 10 }));
const arbScalar: fc.Arbitrary<Value> = fc.record({
  kind: fc.constant('scalar' as const),
  text: arbText,
  style: fc.constantFrom<Style>('plain', 'plain', 'single', 'double', 'literal', 'folded'),
  chomp: fc.constantFrom<'' | '-' | '+'>('', '-', '+'),
});
const arbLeaf: fc.Arbitrary<Value> = fc.oneof(arbScalar, arbScalar, fc.constant<Value>({ kind: 'empty' }));
const { value: arbValue } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    arbLeaf,
    fc.record({ kind: fc.constant('seq' as const), flow: fc.boolean(), items: fc.array(tie('value'), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('map' as const), flow: fc.boolean(), pairs: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { minLength: 1, maxLength: 4 }) }),
  ),
}));
const arbItem = fc.array(fc.tuple(fc.constantFrom(...KEYS), arbValue), { minLength: 1, maxLength: 6 });
const arbDecor = fc.record({ comment: fc.boolean(), blank: fc.boolean(), trailing: fc.boolean(), indent: fc.nat({ max: 4 }) });

const PLAIN_SAFE = /^(?:[A-Za-z0-9_.\/=()ü~][A-Za-z0-9_.\/=()ü~ -]*[A-Za-z0-9_.\/=()ü~-])?$|^[A-Za-z0-9~]$/;

/** Writes a scalar inline in its style (plain only where plain is valid); block styles write their header and lines. */
function scalarText(v: Extract<Value, { kind: 'scalar' }>, indent: number, inFlow: boolean): string {
  const pad = ' '.repeat(indent);
  switch (v.style) {
    case 'plain':
      return PLAIN_SAFE.test(v.text) && !(inFlow && v.text === '') ? v.text : JSON.stringify(v.text);
    case 'single':
      // continuation lines of a multi-line quoted scalar would need indenting: those go double-quoted
      return v.text.includes('\n') ? JSON.stringify(v.text) : `'${v.text.replace(/'/g, "''")}'`;
    case 'double':
      return JSON.stringify(v.text);
    case 'literal':
    case 'folded':
      if (inFlow) return JSON.stringify(v.text);
      return `${v.style === 'literal' ? '|' : '>'}${v.chomp}\n${v.text.split('\n').map((l) => (l.trim() === '' ? '' : pad + l.trimStart())).join('\n')}`;
  }
}

function flowText(v: Value): string {
  switch (v.kind) {
    case 'empty':
      return '';
    case 'scalar':
      return scalarText(v, 0, true);
    case 'seq':
      return `[${v.items.map((x) => (x.kind === 'empty' ? "''" : flowText(x))).join(', ')}]`;
    case 'map':
      return `{${v.pairs.map(([k, x]) => `${k}: ${flowText(x)}`).join(', ')}}`;
  }
}

/** The text after `key:` or `- ` for a value nested at `indent`. */
function afterIndicator(v: Value, indent: number): string {
  if (v.kind === 'empty') return '';
  if (v.kind === 'scalar') return ` ${scalarText(v, indent, false)}`;
  if (v.flow || (v.kind === 'seq' ? v.items.length : v.pairs.length) === 0) return ` ${flowText(v)}`;
  const pad = ' '.repeat(indent);
  if (v.kind === 'seq') return `\n${v.items.map((x) => `${pad}-${afterIndicator(x, indent + 2)}`).join('\n')}`;
  return `\n${v.pairs.map(([k, x]) => `${pad}${k}:${afterIndicator(x, indent + 2)}`).join('\n')}`;
}

function rulesText(items: { pairs: [string, Value][]; decor: fc.RecordValue<{ comment: boolean; blank: boolean; trailing: boolean; indent: number }> }[]): string {
  const lines: string[] = [];
  for (const { pairs, decor } of items) {
    if (decor.blank) lines.push('');
    if (decor.comment) lines.push(`${' '.repeat(decor.indent)}# about the next item`);
    pairs.forEach(([key, value], i) => {
      const text = `${i === 0 ? '- ' : '  '}${key}:${afterIndicator(value, 4)}`;
      lines.push(decor.trailing && (value.kind === 'empty' || (value.kind === 'scalar' && value.style !== 'literal' && value.style !== 'folded')) ? `${text} # note` : text);
    });
  }
  return `${lines.join('\n')}\n`;
}

describe('random rules-like YAML reads the same through both paths', () => {
  it('generated documents of every scalar style, nesting, comment and empty value', () => {
    let viaCst = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ pairs: arbItem, decor: arbDecor }), { minLength: 1, maxLength: 5 }), (items) => {
        const text = rulesText(items);
        if (readCstDocuments(text)) viaCst++;
        expectSameThroughBothPaths('random.yaml', text);
      }),
      { numRuns: 400 },
    );
    // most generated texts are plain rules-file YAML, so the property mostly exercises the CST path
    expect(viaCst).toBeGreaterThan(300);
  });

  it.skipIf(missingUpstream('falco_rules/rules-5.1.0.yaml'))('mutated slices of upstream rulesets', () => {
    const lines = readUpstream('falco_rules/rules-5.1.0.yaml').text.split('\n');
    const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('delete', 'indent', 'dedent', 'value', 'comment'), text: fc.constantFrom('', '~', '[a, b]', '{x: y}', 'yes', '"q"', '|', '- x', 'a: b', '# c', '[') });
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 5, max: 80 }), fc.array(edit, { maxLength: 4 }), (start, length, edits) => {
        const from = start % lines.length;
        const out = lines.slice(from, from + length);
        for (const e of edits) {
          const i = e.at % Math.max(out.length, 1);
          const line = out[i] ?? '';
          if (e.op === 'delete') out.splice(i, 1);
          else if (e.op === 'indent') out[i] = `  ${line}`;
          else if (e.op === 'dedent') out[i] = line.replace(/^ {1,2}/, '');
          else if (e.op === 'value') out[i] = line.replace(/:\s.*$/, `: ${e.text}`);
          else out.splice(i, 0, `${' '.repeat(e.at % 5)}# c`);
        }
        expectSameThroughBothPaths('mutated.yaml', out.join('\n'));
      }),
      { numRuns: 300 },
    );
  });
});
