/**
 * Diagnostics name the item as Falco does (docs/falco-rules-semantics.md §8.3): the rule, macro,
 * list or exception that holds the problem, by its own name, never a place inside it such as
 * "value for", "rule output" or "exception values"; the position stays that of the place.
 */
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/index.js';

const RULE = '- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';

/** itemType:itemName @ line:column of each diagnostic. */
function named(text: string): string[] {
  return loadRules([{ path: 'f.yaml', text }]).diagnostics.map((d) => `${d.code} ${d.itemType}:${d.itemName} @${d.location.line}:${d.location.column}`);
}

/** Places inside an item (Falco's context chain below the item); none may stand as the item. */
const SUB_LOCATIONS = [
  'value for',
  'list item',
  'exceptions',
  'exception values',
  'exception value',
  'rule priority',
  'rule condition',
  'rule output',
  'rule output expression',
  'macro condition',
  'condition expression',
  'overrides',
  'required plugin versions alternative',
];

describe('the item a diagnostic names', () => {
  it.each([
    ['a bad priority', RULE.replace('INFO', 'loud'), 'LOAD_ERR_YAML_VALIDATE rule:R @5:13'],
    ['an undecodable enabled', `${RULE}  enabled: maybe\n`, 'LOAD_ERR_YAML_VALIDATE rule:R @6:12'],
    ['an empty macro condition', '- macro: m\n  condition: ""\n', 'LOAD_ERR_YAML_VALIDATE macro:m @2:14'],
    ['a nested list item', '- list: l\n  items: [a, [b]]\n', 'LOAD_ERR_YAML_VALIDATE list:l @2:14'],
    ['a bad override operation', '- list: l\n  items: []\n  override: {items: merge}\n', 'LOAD_ERR_YAML_VALIDATE list:l @3:21'],
    ['exceptions that are not a sequence', `${RULE}  exceptions: x\n`, 'LOAD_ERR_YAML_VALIDATE rule:R @6:15'],
    ['exception values that are not a sequence', `${RULE}  exceptions:\n    - name: e1\n      fields: proc.name\n      values: x\n`, 'LOAD_ERR_YAML_VALIDATE exception:e1 @9:15'],
    ['an empty nested exception value', `${RULE}  exceptions:\n    - name: e1\n      fields: [proc.name]\n      values: [[""]]\n`, 'LOAD_ERR_YAML_VALIDATE exception:e1 @9:17'],
    ['a plugin alternative that is not a mapping', '- required_plugin_versions: [{name: a, version: 1.0.0, alternatives: [x]}]\n', 'LOAD_ERR_YAML_VALIDATE required plugin versions entry:a @1:71'],
  ])('%s names the item that holds it', (_, text, expected) => {
    expect(named(text)).toEqual([expected]);
  });

  it('an output error names the rule, not "rule output"', () => {
    expect(named(RULE.replace('output: o', 'output: o %proc.nme'))).toEqual(['LOAD_ERR_COMPILE_OUTPUT rule:R @1:3']);
  });

  it('a compile error in an exception names that exception, at its own position, not the rule or its first exception', () => {
    const text = `${RULE}  exceptions:\n    - name: fine\n      fields: proc.name\n      values: [a]\n    - name: short\n      fields: [proc.name, fd.name]\n      values: [[a]]\n`;
    expect(named(text)).toEqual(['LOAD_ERR_VALIDATE exception:short @10:7']);
  });

  it("a macro syntax error names the macro; an unknown field used through it is the rule's (Falco checks fields compiling the rule), reported at the macro's token", () => {
    expect(named(`- macro: m\n  condition: proc.name =\n${RULE.replace('evt.type = open', 'evt.type = open and m')}`)).toEqual([
      'LOAD_ERR_COMPILE_CONDITION macro:m @2:25',
    ]);
    expect(named(`- macro: m\n  condition: proc.nme = x\n${RULE.replace('evt.type = open', 'evt.type = open and m')}`)).toEqual([
      'LOAD_ERR_COMPILE_CONDITION rule:R @2:14',
    ]);
  });

  it('no diagnostic over a set of broken files stands on a sub-location', () => {
    const broken = [
      RULE.replace('INFO', 'loud'),
      `${RULE}  tags: [{a: b}]\n`,
      `${RULE}  capture_duration: -1\n`,
      `${RULE}  desc: ""\n`.replace('  desc: d\n', ''),
      `${RULE}  exceptions:\n    - name: e\n      fields: a\n      values: x\n`,
      `${RULE}  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [[""]]\n`,
      '- rule: R\n  enabled: false\n  override: {enabled: append}\n',
      '- rule: R\n  priority: INFO\n  override: {priority: add}\n',
      '- rule: R\n  condition: a\n  priority: INFO\n  enabled: true\n  override: {condition: append}\n',
      '- macro: m\n  condition: [a]\n',
      '- list: l\n  items: a\n',
      '- list: a\n  items: []\n  override: {name: replace}\n',
      RULE.replace('output: o', 'output: o %nope'),
    ];
    const types = broken.flatMap((text) => loadRules([{ path: 'f.yaml', text }]).diagnostics.map((d) => d.itemType));
    expect(types.length).toBeGreaterThanOrEqual(broken.length);
    expect(types.filter((t) => SUB_LOCATIONS.includes(t))).toEqual([]);
  });
});
