import { describe, expect, it } from 'vitest';
import { findShadowedDefaults } from '../../../src/analysis/shadow/index.js';
import { readRulesFile } from '../../../src/rules/index.js';

const file = (path: string, text: string) => readRulesFile({ path, text });

const BASE = `- list: editors
  items: [vim]
- macro: open_write
  condition: evt.type in (open, openat) and evt.is_open_write=true
- macro: sensitive
  condition: fd.name startswith /etc
- rule: Write sensitive
  desc: d
  condition: open_write and sensitive
  output: o %fd.name
  priority: ERROR
- rule: Edit config
  desc: d
  condition: open_write and fd.name startswith /srv
  output: o %fd.name
  priority: WARNING
`;
const THEIRS = `- list: editors
  items: [vim]
- macro: open_write
  condition: evt.type in (open, openat) and evt.is_open_write=true
- macro: sensitive
  condition: fd.name startswith /etc
- rule: Write sensitive
  desc: d
  condition: open_write and sensitive
  output: o %fd.name
  priority: ERROR
  exceptions:
    - name: known_writers
      fields: [proc.name]
      values: [[puppet]]
- rule: Edit config
  desc: d
  condition: open_write and fd.name startswith /srv and not proc.name in (editors)
  output: o %fd.name
  priority: WARNING
`;

describe('findShadowedDefaults on small hand-made upstreams', () => {
  it('an upstream rule that starts using a list we replace is inherited (now-uses)', () => {
    const findings = findShadowedDefaults({
      base: [file('b.yaml', BASE)],
      theirs: [file('t.yaml', THEIRS)],
      ours: [file('ours.yaml', '- list: editors\n  items: [vim, nano]\n')],
    });
    expect(findings.map((f) => [f.id, f.rules?.map((r) => [r.rule, r.reason])])).toEqual([['inherited/list/editors', [['Edit config', 'now-uses']]]]);
  });

  it('a new exceptions entry on a rule we replace is a hook, and the rule itself did not change underneath', () => {
    const ours = '- rule: Write sensitive\n  condition: open_write and sensitive and not proc.name = puppet\n  override:\n    condition: replace\n';
    const findings = findShadowedDefaults({ base: [file('b.yaml', BASE)], theirs: [file('t.yaml', THEIRS)], ours: [file('ours.yaml', ours)] });
    expect(findings.map((f) => [f.id, f.severity, f.hook])).toEqual([
      ['hook-available/rule/Write sensitive', 'note', { kind: 'exception', name: 'known_writers' }],
    ]);
  });

  it('an item that does not exist upstream is ours alone: nothing to report', () => {
    const findings = findShadowedDefaults({
      base: [file('b.yaml', BASE)],
      theirs: [file('t.yaml', THEIRS)],
      ours: [file('ours.yaml', '- macro: mine\n  condition: proc.name = x\n')],
    });
    expect(findings).toEqual([]);
  });
});

describe('name collisions', () => {
  it('upstream shipping an item under a name we already define is changed underneath, with no base', () => {
    const findings = findShadowedDefaults({
      base: [file('b.yaml', BASE)],
      theirs: [file('t.yaml', `${THEIRS}- macro: trusted_proc\n  condition: proc.name = upstream-agent\n`)],
      ours: [file('ours.yaml', '- macro: trusted_proc\n  condition: proc.name = our-agent\n')],
    });
    expect(findings.map((f) => [f.id, f.base, f.theirs?.line, f.message])).toEqual([
      [
        'changed-underneath/macro/trusted_proc',
        undefined,
        21,
        "upstream now ships a macro named 'trusted_proc'; ours has the same name and replaces it, so upstream's is hidden",
      ],
    ]);
  });
});

describe('upstream merged by the real collector', () => {
  const RULE = `- rule: Read secrets
  desc: d
  condition: open_read and fd.name startswith /secrets
  output: o %fd.name
  priority: WARNING
  exceptions:
    - name: known_readers
      fields: [proc.name]
      values: [[vault]]
`;
  const OURS = `- rule: Read secrets
  condition: open_read and fd.name startswith /secrets and not proc.name = backup
  exceptions:
    - name: known_readers
      fields: [proc.name]
      values: [[vault], [consul]]
  override:
    condition: replace
    exceptions: replace
`;
  const MACRO = '- macro: open_read\n  condition: evt.type in (open, openat) and evt.is_open_read=true\n';

  it('an exception appended by name merges its values into the entry, so the same values in one definition are no change', () => {
    // base: the values arrive through a second upstream file's append to the same exception name
    const appended = '- rule: Read secrets\n  exceptions:\n    - name: known_readers\n      values: [[consul]]\n  override:\n    exceptions: append\n';
    const theirs = RULE.replace('values: [[vault]]', 'values: [[vault], [consul]]');
    const findings = findShadowedDefaults({
      base: [file('b.yaml', MACRO + RULE), file('b2.yaml', appended)],
      theirs: [file('t.yaml', MACRO + theirs)],
      ours: [file('ours.yaml', OURS)],
    });
    expect(findings).toEqual([]);
    // and a value upstream really added under that name is still seen
    const more = findShadowedDefaults({
      base: [file('b.yaml', MACRO + RULE), file('b2.yaml', appended)],
      theirs: [file('t.yaml', MACRO + RULE.replace('values: [[vault]]', 'values: [[vault], [consul], [sops]]'))],
      ours: [file('ours.yaml', OURS)],
    });
    expect(more.map((f) => [f.id, f.fields?.map((v) => [v.field, v.added, v.removed])])).toEqual([
      ['changed-underneath/rule/Read secrets', [['exceptions', ['known_readers'], []]]],
    ]);
  });

  it('conditions compare by their canonical print: spacing is no change, a changed quoted value is', () => {
    const base = '- macro: builders\n  condition: proc.name in (make,gcc)\n- macro: banner\n  condition: proc.cmdline = "build  all"\n';
    const theirs = '- macro: builders\n  condition: >\n    proc.name in\n    (make, gcc)\n- macro: banner\n  condition: proc.cmdline = "build all"\n';
    const ours = '- macro: builders\n  condition: proc.name in (make, gcc, ld)\n- macro: banner\n  condition: proc.cmdline = "build  all" or proc.name = ci\n';
    const findings = findShadowedDefaults({ base: [file('b.yaml', base)], theirs: [file('t.yaml', theirs)], ours: [file('ours.yaml', ours)] });
    expect(findings.map((f) => [f.id, f.fields?.map((v) => [v.field, v.base, v.theirs])])).toEqual([
      ['changed-underneath/macro/banner', [['condition', 'proc.cmdline = "build  all"', 'proc.cmdline = "build all"']]],
    ]);
  });
});

describe('a copy that already carries upstream change is not hiding it', () => {
  const base = '- list: scanners\n  items: [clamav, chkrootkit]\n- macro: m\n  condition: proc.name = a\n';
  const theirs = '- list: scanners\n  items: [clamav, rkhunter, lynis]\n- macro: m\n  condition: proc.name = b\n';
  const check = (ours: string) => findShadowedDefaults({ base: [file('b.yaml', base)], theirs: [file('t.yaml', theirs)], ours: [file('ours.yaml', ours)] });

  it('a list with every upstream addition and none of its removals, and a macro equal to the new one, are not reported', () => {
    expect(check('- list: scanners\n  items: [clamav, mine, rkhunter, lynis]\n- macro: m\n  condition: (proc.name = b)\n')).toEqual([]);
  });

  it('a partly merged list shows only what it still hides, with our current items', () => {
    const findings = check('- list: scanners\n  items: [clamav, chkrootkit, rkhunter]\n');
    expect(findings.map((f) => [f.id, f.fields?.map((v) => [v.ours, v.added, v.removed])])).toEqual([
      ['changed-underneath/list/scanners', [[['clamav', 'chkrootkit', 'rkhunter'], ['lynis'], ['chkrootkit']]]],
    ]);
  });
});
