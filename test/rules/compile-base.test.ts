/**
 * Compiling from a base (src/rules/compile-base.ts): a ruleset that differs from the latest complete
 * compile through the same cache in a few entries compiles only what those entries reach, and gives
 * exactly what a fresh compile gives, used flags and per-rule diagnostics included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRuleset, createCompileCache, createMergeCache, mergeRulesFiles, readRulesFile, type CompiledRuleset, type RulesFile } from '../../src/rules/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';
import { environmentOverlay } from '../../bench/environments.js';

const BASE = `- list: shells
  items: [bash, sh]
- list: editors
  items: [vi, nano]
- list: tools
  items: [shells, curl]
- list: never_named
  items: [x]
- macro: spawned
  condition: evt.type = execve and evt.dir = <
- macro: shell_procs
  condition: proc.name in (shells)
- macro: editor_procs
  condition: proc.name in (editors)
- macro: interactive
  condition: shell_procs or editor_procs
- macro: unused_macro
  condition: proc.name = x
- rule: Shell spawned
  desc: d
  condition: spawned and shell_procs
  output: "shell %proc.name"
  priority: WARNING
- rule: Interactive
  desc: d
  condition: spawned and interactive and proc.name in (tools)
  output: "i %proc.name"
  priority: NOTICE
- rule: Elsewhere
  desc: d
  condition: some.field = x
  output: "o"
  priority: INFO
  source: no_such_source
- rule: Maybe
  desc: d
  condition: spawned and proc.nonexistent = 1
  output: "m"
  priority: INFO
  skip-if-unknown-filter: true
- rule: Editors
  desc: d
  condition: spawned and editor_procs and not proc.pname in (shells)
  output: "e %proc.name"
  priority: ERROR
`;

function summary(r: CompiledRuleset): unknown {
  return {
    ok: r.ok,
    diagnostics: r.diagnostics,
    rules: r.rules.map((x) => [x.name, x.compiledCondition, x.eventTypes, x.enabled, x.priority, x.output, x.exceptions]),
    macros: r.macros.map((m) => [m.name, m.used, m.compiledCondition]),
    lists: r.lists.map((l) => [l.name, l.used, l.items]),
  };
}

const file = (path: string, text: string): RulesFile => readRulesFile({ path, text });
const base = file('rules/base.yaml', BASE);

/** Compiles each overlay over `upstream` through one cache, in order, next to a fresh compile of it. */
function compileInTurn(upstream: RulesFile[], overlays: string[]): { cached: CompiledRuleset; fresh: CompiledRuleset }[] {
  const cache = createCompileCache();
  const mergeCache = createMergeCache();
  return overlays.map((text, i) => {
    const files = [...upstream, file(`environments/env-${i}/overlay.yaml`, text)];
    return { cached: compileRuleset(mergeRulesFiles(files, { mergeCache }), { cache }), fresh: compileRuleset(mergeRulesFiles(files)) };
  });
}

const rule = (r: CompiledRuleset, name: string) => r.rules.find((x) => x.name === name);
const macro = (r: CompiledRuleset, name: string) => r.macros.find((x) => x.name === name)!;

describe('compiling from a base', () => {
  it('recompiles what a list change reaches and shares the rest with the base', () => {
    const [first, second] = compileInTurn([base], ['', '- list: shells\n  items: [zsh]\n  override: {items: append}\n']);
    expect(summary(second!.cached)).toEqual(summary(second!.fresh));
    // shells reaches shell_procs (so interactive and every rule using them), tools and the pname check of Editors
    for (const name of ['Shell spawned', 'Interactive', 'Editors']) expect(rule(second!.cached, name)).not.toBe(rule(first!.cached, name));
    expect(rule(second!.cached, 'Maybe')).toBeUndefined();
    expect(macro(second!.cached, 'editor_procs')).toBe(macro(first!.cached, 'editor_procs'));
    expect(macro(second!.cached, 'shell_procs').compiledCondition).toContain('zsh');
  });

  it('a rule whose entry changed is recompiled alone; its diagnostics and the others keep their order', () => {
    const [first, second] = compileInTurn([base], ['', '- rule: Shell spawned\n  priority: ERROR\n  override: {priority: replace}\n']);
    expect(summary(second!.cached)).toEqual(summary(second!.fresh));
    expect(rule(second!.cached, 'Shell spawned')).not.toBe(rule(first!.cached, 'Shell spawned'));
    for (const name of ['Interactive', 'Editors']) expect(rule(second!.cached, name)).toBe(rule(first!.cached, name));
    expect(second!.cached.diagnostics.map((d) => d.code)).toEqual(first!.cached.diagnostics.map((d) => d.code));
    expect(second!.cached.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['LOAD_UNKNOWN_SOURCE', 'LOAD_UNKNOWN_FILTER', 'LOAD_UNUSED_MACRO', 'LOAD_UNUSED_LIST']));
  });

  it('recounts used flags: a macro and a list no longer named become unused, one newly named becomes used', () => {
    const loads = compileInTurn(
      [base],
      [
        '',
        '- rule: Editors\n  condition: spawned and proc.name = vim\n  override: {condition: replace}\n- rule: Interactive\n  condition: spawned and unused_macro and proc.name in (never_named)\n  override: {condition: replace}\n',
      ],
    );
    const { cached, fresh } = loads[1]!;
    expect(summary(cached)).toEqual(summary(fresh));
    expect(macro(cached, 'unused_macro').used).toBe(true);
    expect(macro(cached, 'interactive').used).toBe(false);
    expect(cached.lists.find((l) => l.name === 'never_named')!.used).toBe(true);
    // the base's compiled macro is shared, never modified
    expect(macro(loads[0]!.cached, 'unused_macro').used).toBe(false);
  });

  it('compiles in full what it cannot compile from the base, errors included', () => {
    const loads = compileInTurn(
      [base],
      [
        '',
        '- macro: extra\n  condition: proc.name = y\n',
        '- macro: shell_procs\n  condition: proc.name in (shells) and undefined_thing\n  override: {condition: replace}\n',
        // a macro naming one defined after it
        '- macro: spawned\n  condition: evt.type = execve and interactive\n  override: {condition: replace}\n',
        '- list: shells\n  items: [ksh]\n  override: {items: append}\n',
      ],
    );
    for (const { cached, fresh } of loads) expect(summary(cached)).toEqual(summary(fresh));
    expect(rule(loads[1]!.cached, 'Interactive')).not.toBe(rule(loads[0]!.cached, 'Interactive'));
    expect(loads[2]!.cached.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(["Undefined macro 'undefined_thing' used in filter."]);
  });

  it('any sequence of overlays compiles as fresh compiles do', () => {
    const item = fc.constantFrom('zsh', 'curl', 'editors', 'shells', 'never_named', 'a b', 'vi');
    const edit = fc.oneof(
      fc.tuple(fc.constantFrom('shells', 'editors', 'tools', 'never_named'), item, fc.constantFrom('append', 'replace')).map(
        ([name, value, how]) => `- list: ${name}\n  items: [${JSON.stringify(value)}]\n  override: {items: ${how}}\n`,
      ),
      fc.tuple(
        fc.constantFrom('spawned', 'shell_procs', 'editor_procs', 'interactive', 'unused_macro'),
        fc.constantFrom('proc.name in (editors)', 'shell_procs', 'editor_procs and proc.pname in (tools)', 'evt.type = open', 'proc.name = z', 'not spawned'),
      ).map(([name, condition]) => `- macro: ${name}\n  condition: ${condition}\n  override: {condition: replace}\n`),
      fc.tuple(fc.constantFrom('Shell spawned', 'Interactive', 'Editors', 'Maybe'), fc.constantFrom('proc.name = q', 'unused_macro', 'interactive and proc.name in (never_named)')).map(
        ([name, condition]) => `- rule: ${name}\n  condition: and ${condition}\n  override: {condition: append}\n`,
      ),
      fc.tuple(fc.constantFrom('Shell spawned', 'Interactive', 'Editors'), fc.constantFrom('x', 'y')).map(
        ([name, value]) =>
          `- rule: ${name}\n  exceptions:\n    - name: e_${value}\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values: [[${value}, /etc/]]\n  override: {exceptions: append}\n`,
      ),
      fc.constantFrom('- list: added\n  items: [shells]\n', '- rule: Editors\n  enabled: false\n  override: {enabled: replace}\n', ''),
    );
    fc.assert(
      fc.property(fc.array(fc.array(edit, { maxLength: 3 }), { minLength: 2, maxLength: 6 }), (overlays) => {
        for (const { cached, fresh } of compileInTurn([base], overlays.map((edits) => edits.join('')))) expect(summary(cached)).toEqual(summary(fresh));
      }),
      { numRuns: 150 },
    );
  });
});

const TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

describe.skipIf(missingUpstream(...TRIO))('compiling from a base over the newest upstream trio', () => {
  const upstream = missingUpstream(...TRIO) ? [] : TRIO.map((f) => readRulesFile(readUpstream(f)));

  it('the environments benchmark\'s overlays (a list, a macro and two rules changed) compile as fresh compiles do, sharing what they did not reach', () => {
    const loads = compileInTurn(upstream, [0, 1, 2, 3].map(environmentOverlay));
    for (const { cached, fresh } of loads) expect(summary(cached)).toEqual(summary(fresh));
    const [first, later] = [loads[0]!.cached, loads[3]!.cached];
    const shared = later.rules.filter((r, i) => r === first.rules[i]).length;
    expect(shared).toBeGreaterThan(later.rules.length / 2);
    expect(rule(later, 'Read sensitive file untrusted')).not.toBe(rule(first, 'Read sensitive file untrusted'));
  });
});
