import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createHash } from 'node:crypto';
import { createMergeCache, createRenderCache, loadRules, mergeRulesFiles, readRulesFile, renderRulesFile, renderRulesFilePieces } from '../../src/rules/index.js';
import { sha256OfPieces } from '../../src/environment/rules-file-cache.js';
import { expectSingleFileEquivalent } from '../environment/equivalence.js';
import { makeTarget } from '../../src/targets/target.js';
import { semanticsOf } from '../../src/targets/semantics.js';

const withK8sAudit = { target: semanticsOf(makeTarget('0.44.1', [{ name: 'container' }, { name: 'k8saudit', version: '0.7.0' }])) };

const RULE = (name: string, condition: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o %proc.name\n  priority: WARNING\n${extra}`;

describe('renderRulesFile', () => {
  it('writes versions, then lists, macros and rules in first-definition order, with merged fields', () => {
    const { text } = expectSingleFileEquivalent([
      {
        path: 'base.yaml',
        text: [
          '- required_engine_version: 0.26.0',
          '- list: shells\n  items: [bash, sh]',
          '- macro: spawned\n  condition: evt.type = execve',
          RULE('First', 'spawned and proc.name in (shells)'),
          RULE('Second', 'evt.type = open'),
        ].join('\n'),
      },
      {
        path: 'overlay.yaml',
        text: [
          '- required_engine_version: 0.31.0',
          '- list: shells\n  items: [zsh]\n  override: {items: append}',
          // a redefinition keeps the rule's position (semantics §2.1)
          RULE('First', 'spawned and proc.name in (shells)', '  enabled: false\n'),
          '- rule: Second\n  priority: ERROR\n  override: {priority: replace}',
        ].join('\n'),
      },
    ]);
    expect(parse(text)).toEqual([
      { required_engine_version: '0.31.0' },
      { list: 'shells', items: ['bash', 'sh', 'zsh'] },
      { macro: 'spawned', condition: 'evt.type = execve' },
      { rule: 'First', desc: 'd', condition: 'spawned and proc.name in (shells)', output: 'o %proc.name', priority: 'WARNING', enabled: false },
      { rule: 'Second', desc: 'd', condition: 'evt.type = open', output: 'o %proc.name', priority: 'ERROR', enabled: true },
    ]);
  });

  it('restates a list appended after a list it now includes, so list-in-list still resolves (§3.1)', () => {
    const { single, text } = expectSingleFileEquivalent([
      { path: 'a.yaml', text: '- list: all_shells\n  items: [bash]\n- list: extra_shells\n  items: [fish, nu]' },
      { path: 'b.yaml', text: `- list: all_shells\n  items: [extra_shells]\n  override: {items: append}\n${RULE('R', 'proc.name in (all_shells)')}` },
    ]);
    expect(single.lists.find((l) => l.name === 'all_shells')?.items).toEqual(['bash', 'fish', 'nu']);
    expect(parse(text).map((i: Record<string, unknown>) => i.list ?? i.rule)).toEqual(['all_shells', 'extra_shells', 'all_shells', 'R']);
  });

  it('orders entries by first definition however the tables hold them, restatements in place', () => {
    const files = [
      { path: 'a.yaml', text: '- list: all_shells\n  items: [bash]\n- list: extra_shells\n  items: [fish]\n- list: more\n  items: [x]' },
      { path: 'b.yaml', text: `- list: all_shells\n  items: [extra_shells]\n  override: {items: append}\n${RULE('R', 'proc.name in (all_shells, more)')}` },
    ].map((f) => readRulesFile(f));
    const merged = mergeRulesFiles(files);
    const reversed = { ...merged, lists: new Map([...merged.lists].reverse()) };
    const text = renderRulesFile(reversed);
    expect(text).toBe(renderRulesFile(merged));
    expect(parse(text).map((i: Record<string, unknown>) => i.list ?? i.rule)).toEqual(['all_shells', 'extra_shells', 'more', 'all_shells', 'R']);
  });

  it('keeps a forward list reference literal when the list was never touched after (§3.1)', () => {
    const { single } = expectSingleFileEquivalent([
      { path: 'a.yaml', text: `- list: outer\n  items: [inner]\n- list: inner\n  items: [x]\n${RULE('R', 'proc.name in (outer, inner)')}` },
    ]);
    expect(single.lists.find((l) => l.name === 'outer')?.items).toEqual(['inner']);
  });

  it('restates a macro appended after a macro it now uses, so it can still see it (§4)', () => {
    const { text } = expectSingleFileEquivalent([
      { path: 'a.yaml', text: `- macro: known\n  condition: proc.name = a\n${RULE('R', 'evt.type = open and not known')}` },
      { path: 'b.yaml', text: '- macro: more_known\n  condition: proc.name = b\n- macro: known\n  condition: or more_known\n  override: {condition: append}' },
    ]);
    const items = parse(text) as Record<string, unknown>[];
    expect(items.filter((i) => i.macro).map((i) => [i.macro, i.override ?? null])).toEqual([
      ['known', null],
      ['more_known', null],
      ['known', { condition: 'replace' }],
    ]);
  });

  it('writes exception comps explicitly with Falco defaults (§2.6)', () => {
    const { text } = expectSingleFileEquivalent([
      {
        path: 'a.yaml',
        text: RULE(
          'R',
          'evt.type = open',
          '  exceptions:\n    - name: single\n      fields: proc.name\n      values: [cat, "my tool"]\n    - name: pair\n      fields: [proc.name, fd.name]\n      values: [[vim, /etc/passwd]]\n',
        ),
      },
    ]);
    expect((parse(text) as Record<string, unknown>[])[0]!.exceptions).toEqual([
      { name: 'single', fields: 'proc.name', comps: 'in', values: ['cat', 'my tool'] },
      { name: 'pair', fields: ['proc.name', 'fd.name'], comps: ['=', '='], values: [['vim', '/etc/passwd']] },
    ]);
  });

  it('keeps raw scalar text of items and plugin-source rules', () => {
    const { single, text } = expectSingleFileEquivalent([
      {
        path: 'a.yaml',
        text: [
          '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n    alternatives:\n      - name: k8saudit-eks\n        version: 0.4.0',
          "- list: odd\n  items: [1.50, 0x10, 'true', \"a b\"]",
          RULE('R', 'proc.name in (odd)'),
          '- rule: K\n  desc: d\n  condition: ka.verb = create\n  output: o %ka.verb\n  priority: INFO\n  source: k8s_audit',
        ].join('\n'),
      },
    ], withK8sAudit);
    expect(single.lists[0]?.items).toEqual(['1.50', '0x10', 'true', 'a b']);
    expect(text).toContain('source: k8s_audit');
    expect(loadRules([{ path: 'x.yaml', text: renderRulesFile(single) }], withK8sAudit).rules.map((r) => r.name)).toEqual(single.rules.map((r) => r.name));
  });

  it('a render cache shared by several rulesets gives each what a fresh render gives, restatements included', () => {
    const base = readRulesFile({
      path: 'base.yaml',
      text: `- list: all_shells\n  items: [bash]\n- list: extra_shells\n  items: [fish]\n- macro: known\n  condition: proc.name = a\n${RULE('R', 'proc.name in (all_shells) and not known')}`,
    });
    const overlays = [
      '- list: all_shells\n  items: [extra_shells]\n  override: {items: append}\n',
      '- list: all_shells\n  items: [zsh]\n  override: {items: append}\n',
      '- macro: more_known\n  condition: proc.name = b\n- macro: known\n  condition: or more_known\n  override: {condition: append}\n',
      '- list: extra_shells\n  items: [nu]\n  override: {items: append}\n- list: all_shells\n  items: [extra_shells]\n  override: {items: append}\n',
      '- list: all_shells\n  items: [extra_shells]\n  override: {items: append}\n',
    ].map((text, i) => readRulesFile({ path: `overlay-${i}.yaml`, text }));
    const cache = createRenderCache();
    const mergeCache = createMergeCache();
    const restated: string[][] = [];
    for (const overlay of overlays) {
      const text = renderRulesFile(mergeRulesFiles([base, overlay], { mergeCache }), { cache });
      expect(text).toBe(renderRulesFile(mergeRulesFiles([base, overlay])));
      restated.push((parse(text) as Record<string, unknown>[]).filter((i) => i.override).map((i) => String(i.list ?? i.macro)));
    }
    expect(restated).toEqual([['all_shells'], [], ['known'], ['all_shells'], ['all_shells']]);
  });

  it('gives pieces that join to the file, with or without a header, and hash as the file does', () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const files = [
      readRulesFile({ path: 'a.yaml', text: `- list: shells\n  items: [bash]\n${RULE('R', 'proc.name in (shells)')}` }),
      readRulesFile({ path: 'empty.yaml', text: '[]\n' }),
    ];
    for (const file of files) {
      const merged = mergeRulesFiles([file]);
      for (const header of [undefined, ['one', 'two']]) {
        const pieces = renderRulesFilePieces(merged, { header });
        const text = pieces.join('');
        expect(text).toBe(renderRulesFile(merged, { header }));
        expect(sha256OfPieces(pieces)).toBe(sha(text));
      }
    }
    expect(renderRulesFile(mergeRulesFiles([files[1]]), { header: ['h'] })).toBe('# h\n[]\n');
    expect(renderRulesFile(mergeRulesFiles([files[0]]))).toMatch(/^- list: shells\n/);
  });
});

