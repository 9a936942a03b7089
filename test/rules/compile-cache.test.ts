/**
 * The per-invocation caches (compile and merge) change how often work is done, never its result:
 * many overlays over the latest upstream trio load exactly as they do without the caches, and
 * what is unchanged between two loads is shared.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileRuleset,
  createCompileCache,
  createMergeCache,
  mergeRulesFiles,
  readRulesFile,
  type CompiledRuleset,
  type RulesFile,
} from '../../src/rules/index.js';
import { substituteLists } from '../../src/rules/index.js';
import { CompileCache, ListTable } from '../../src/rules/compile-cache.js';
import type { CompiledList } from '../../src/rules/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';

const TRIO = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml'];

const OVERLAYS = [
  '- list: shell_binaries\n  items: [shell-a]\n  override: {items: append}\n',
  '- list: shell_binaries\n  items: [shell-b]\n  override: {items: append}\n',
  '- list: shell_binaries\n  items: [sensitive_file_names, bash]\n  override: {items: replace}\n',
  '- macro: spawned_process\n  condition: and proc.name = foo\n  override: {condition: append}\n',
  '- macro: container\n  condition: (container.id != host and open_write)\n  override: {condition: replace}\n',
  // a macro that now names one defined after it: resolved with the referrer's visibility, not reused
  '- macro: open_write\n  condition: (evt.type = open and never_true)\n  override: {condition: replace}\n- macro: never_true\n  condition: (evt.num=0)\n  override: {condition: replace}\n',
  '- list: proc_name_list_new\n  items: [a, "b c"]\n- macro: never_true\n  condition: (proc.name in (proc_name_list_new))\n  override: {condition: replace}\n',
  '- rule: Terminal shell in container\n  condition: and not proc.name in (shell_binaries)\n  override: {condition: append}\n',
  '- macro: open_write\n  condition: (undefined_macro_x)\n  override: {condition: replace}\n',
  '- list: shell_binaries\n  items: [shell-a]\n  override: {items: append}\n',
  // a new list named by an item of one changed after it: now included (list names changed, items recompiled)
  '- list: bash\n  items: [bash-x, bash-y]\n- list: shell_binaries\n  items: [zsh-y]\n  override: {items: append}\n',
];

function summary(r: CompiledRuleset): unknown {
  return {
    ok: r.ok,
    diagnostics: r.diagnostics,
    rules: r.rules.map((x) => [x.name, x.compiledCondition, x.eventTypes, x.enabled, x.priority, x.output]),
    macros: r.macros.map((m) => [m.name, m.used, m.compiledCondition]),
    lists: r.lists.map((l) => [l.name, l.used, l.items]),
  };
}

describe.skipIf(missingUpstream(...TRIO))('compile and merge caches', () => {
  const upstream: RulesFile[] = missingUpstream(...TRIO) ? [] : TRIO.map((f) => readRulesFile(readUpstream(f)));
  const overlays = OVERLAYS.map((text, i) => readRulesFile({ path: `environments/env-${i}/overlay.yaml`, text }));

  it('every overlay loads exactly as it does without caches', () => {
    const cache = createCompileCache();
    const mergeCache = createMergeCache();
    for (const overlay of overlays) {
      const plain = compileRuleset(mergeRulesFiles([...upstream, overlay]));
      const cached = compileRuleset(mergeRulesFiles([...upstream, overlay], { mergeCache }), { cache });
      expect(summary(cached)).toEqual(summary(plain));
    }
  });

  it('loads every overlay as a fresh compile does, whichever overlays the caches saw before', () => {
    const reuseOverlays = [
      ...OVERLAYS,
      // a new list named like a value some conditions already use: every text with that token changes
      '- list: sshd\n  items: [sshd-x, sshd-y]\n',
      '- rule: Read sensitive file untrusted\n  exceptions:\n    - name: env_readers\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values: [[backup, /etc/]]\n  override: {exceptions: append}\n',
      // a list name a token lookup cannot find: every text gets its pass
      '- list: "odd name"\n  items: [x]\n- macro: never_true\n  condition: (proc.name in (odd name))\n  override: {condition: replace}\n',
      '- rule: Terminal shell in container\n  priority: ERROR\n  override: {priority: replace}\n',
      '- macro: spawned_process\n  condition: and proc.name = foo\n  override: {condition: append}\n- rule: Terminal shell in container\n  priority: ERROR\n  override: {priority: replace}\n',
    ].map((text, i) => readRulesFile({ path: `environments/reuse-${i}/overlay.yaml`, text }));
    const plain = reuseOverlays.map((overlay) => summary(compileRuleset(mergeRulesFiles([...upstream, overlay]))));
    for (const order of [reuseOverlays.map((_, i) => i), reuseOverlays.map((_, i) => reuseOverlays.length - 1 - i)]) {
      const cache = createCompileCache();
      const mergeCache = createMergeCache();
      for (const i of order) {
        const cached = compileRuleset(mergeRulesFiles([...upstream, reuseOverlays[i]!], { mergeCache }), { cache });
        expect(summary(cached), `overlay ${i}`).toEqual(plain[i]);
      }
    }
  });

  it('a condition parsed from the previous load of it compiles as a fresh parse does: trees, spans, hints and errors', () => {
    // each load changes shell_binaries' length, so what follows it in a condition moves; the rule
    // also has a compiler hint and, in some loads, an unknown field after the list
    const overlayOf = (n: number) =>
      readRulesFile({
        path: `environments/moved-${n}/overlay.yaml`,
        text:
          `- list: shell_binaries\n  items: [${'s'.repeat(n)}]\n  override: {items: append}\n` +
          `- rule: Terminal shell in container\n  condition: proc.name in (shell_binaries) and proc.pname = proc.name and ${n % 3 === 2 ? 'proc.nosuchfield' : 'proc.exe'} = x\n  override: {condition: replace}\n`,
      });
    const detailed = (r: CompiledRuleset) => ({
      ...(summary(r) as object),
      trees: r.rules.map((x) => JSON.stringify(x.ast)),
      macroTrees: r.macros.map((m) => JSON.stringify(m.ast)),
    });
    const cache = createCompileCache();
    const mergeCache = createMergeCache();
    const loads = [1, 4, 2, 9, 5, 5, 3].map((n) => {
      const cached = compileRuleset(mergeRulesFiles([...upstream, overlayOf(n)], { mergeCache }), { cache });
      expect(detailed(cached), `load ${n}`).toEqual(detailed(compileRuleset(mergeRulesFiles([...upstream, overlayOf(n)]))));
      return cached;
    });
    const terminal = loads[0]!.rules.find((r) => r.name === 'Terminal shell in container')!;
    expect(loads[0]!.diagnostics.filter((d) => d.code === 'LOAD_COMPILE_CONDITION').map((d) => d.message)).toEqual([
      "'proc.name' may be a valid field misused as a const string value",
    ]);
    expect(terminal.compiledCondition).toContain(', s)');
    // the unknown field's check was moved from the load before; the error is the fresh compile's (above)
    expect(loads[2]!.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])).toEqual([
      ['LOAD_ERR_COMPILE_CONDITION', 'filter_check called with nonexistent field proc.nosuchfield'],
    ]);
  });

  it('the overlays cover reused, refused and forward-referencing loads', () => {
    const loads = overlays.map((overlay) => compileRuleset(mergeRulesFiles([...upstream, overlay])));
    expect(loads.map((l) => l.ok)).toEqual([true, true, true, true, true, true, true, true, false, true, true]);
    expect(loads[10]!.lists.find((l) => l.name === 'shell_binaries')!.items.filter((i) => i.startsWith('bash'))).toEqual(['bash-x', 'bash-y']);
    expect(loads[10]!.lists.find((l) => l.name === 'bash')!.used).toBe(true);
    expect(loads[8]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(["Undefined macro 'undefined_macro_x' used in filter."]);
  });

  it('an unchanged macro expands to the same tree in every load; one using a changed list does not', () => {
    const cache = createCompileCache();
    const a = compileRuleset(mergeRulesFiles([...upstream, overlays[0]!]), { cache });
    const b = compileRuleset(mergeRulesFiles([...upstream, overlays[1]!]), { cache });
    const macro = (r: CompiledRuleset, name: string) => r.macros.find((m) => m.name === name)!;
    expect(macro(b, 'open_write').ast).toBe(macro(a, 'open_write').ast);
    expect(macro(b, 'shell_procs').ast).not.toBe(macro(a, 'shell_procs').ast);
    expect(macro(a, 'shell_procs').compiledCondition).toContain('shell-a');
    expect(macro(b, 'shell_procs').compiledCondition).toContain('shell-b');
    expect(macro(b, 'shell_procs').compiledCondition).not.toContain('shell-a');
  });

  it('a list whose entry and included lists are unchanged keeps its compiled items; a changed one is compiled again', () => {
    const cache = createCompileCache();
    const mergeCache = createMergeCache();
    const [a, b, c] = [0, 1, 10].map((i) => compileRuleset(mergeRulesFiles([...upstream, overlays[i]!], { mergeCache }), { cache }));
    const items = (r: CompiledRuleset, name: string) => r.lists.find((l) => l.name === name)!.items;
    expect(items(b, 'sensitive_file_names')).toBe(items(a, 'sensitive_file_names'));
    // a new list name can turn any item into a reference: every list is compiled again
    expect(items(c, 'sensitive_file_names')).not.toBe(items(a, 'sensitive_file_names'));
    expect(items(c, 'sensitive_file_names')).toEqual(items(a, 'sensitive_file_names'));
    expect(items(b, 'shell_binaries')).not.toBe(items(a, 'shell_binaries'));
    expect(items(b, 'shell_binaries').slice(-1)).toEqual(['shell-b']);
    expect(items(c, 'shell_binaries').filter((i) => i.startsWith('bash') || i === 'zsh-y')).toEqual(['bash-x', 'bash-y', 'zsh-y']);
  });

  it('files that start several merges are merged once; entries they define are shared', () => {
    const mergeCache = createMergeCache();
    const a = mergeRulesFiles([...upstream, overlays[0]!], { mergeCache });
    const b = mergeRulesFiles([...upstream, overlays[3]!], { mergeCache });
    expect(b.rules.get('Terminal shell in container')).toBe(a.rules.get('Terminal shell in container'));
    expect(b.macros.get('spawned_process')).not.toBe(a.macros.get('spawned_process'));
    expect(b.lists.get('shell_binaries')!.items).not.toContain('shell-a');
    expect(a.lists.get('shell_binaries')!.items).toContain('shell-a');
    expect(b).toEqual(mergeRulesFiles([...upstream, overlays[3]!]));
  });

  it('a merge stopped by an error in a shared file stops every merge that starts with it', () => {
    const broken = readRulesFile({ path: 'broken.yaml', text: '- macro: m\n  condition: a\n  override: {condition: append}\n- list: l\n  items: [x]\n' });
    const mergeCache = createMergeCache();
    const first = mergeRulesFiles([upstream[0]!, broken, overlays[0]!], { mergeCache });
    const second = mergeRulesFiles([upstream[0]!, broken, overlays[1]!], { mergeCache });
    expect(second).toEqual(mergeRulesFiles([upstream[0]!, broken, overlays[1]!]));
    expect(second.diagnostics.map((d) => d.message)).toEqual(first.diagnostics.map((d) => d.message));
    expect(second.lists.has('l')).toBe(false);
  });
});

describe('cached list substitution', () => {
  const asLists = (defs: [string, string[]][]): CompiledList[] =>
    defs.map(([name, items], index) => ({ name, items, used: false, entry: { kind: 'list', name, items, index, visibility: index + 1 } as unknown as CompiledList['entry'] }));

  it('gives what substituteLists gives, texts and lists shared by one cache, duplicate and delimiter names included', () => {
    const word = fc.constantFrom('a', 'b', 'ab', 'c', 'x', 'in', 'l_1', 'proc.name', '"q', 'a b', '');
    const sep = fc.constantFrom(' ', '  ', '(', ')', ',', '=', ', ', '\t', '\n', '', ' (', ') ', '"');
    const text = fc.array(fc.tuple(word, sep), { maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    const listSet = fc.array(fc.tuple(fc.constantFrom('a', 'b', 'ab', 'c', 'l_1', 'a b', 'x=y'), fc.array(word, { maxLength: 3 })), { maxLength: 6 });
    const cache = new CompileCache();
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), listSet, (texts, defs) => {
        const lists = asLists(defs);
        const table = new ListTable(lists);
        for (const t of texts) expect(cache.substitute(t, table)).toEqual(substituteLists(t, lists));
      }),
      { numRuns: 2000 },
    );
  });
});
