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
