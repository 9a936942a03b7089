import { describe, expect, it } from 'vitest';
import { mergeUpstream } from '../../src/analysis/shadow/index.js';
import { parseCondition, printCanonical } from '../../src/condition/index.js';
import { cachingReader, loadRules, readRulesFile } from '../../src/rules/index.js';
import { rebaseOverlay } from '../../src/upstream/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';

const read = cachingReader();
const view = (path: string, text: string) => mergeUpstream([readRulesFile({ path, text })]);
const canonical = (text: string) => {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return printCanonical(parsed.expr);
};

const BASE = `
- list: shell_binaries
  items: [bash, sh, csh]
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=<
- macro: container
  condition: container.id != host
- rule: Shell spawned
  desc: a shell
  condition: spawned_process and proc.name in (shell_binaries)
  output: shell %proc.name
  priority: WARNING
`;
const THEIRS = `
- list: shell_binaries
  items: [bash, sh, zsh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- macro: container
  condition: container.id != host and container.id != ""
- rule: Shell spawned
  desc: a shell
  condition: spawned_process and proc.name in (shell_binaries) and proc.tty != 0
  output: shell %proc.name
  priority: WARNING
`;
const OVERLAY = `# Our tuning for production.

# Keep ksh: our batch hosts use it.
- list: shell_binaries
  items: [bash, sh, csh, ksh]   # pinned by hand

- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=< and not proc.name = pause

- macro: container
  condition: k8s.ns.name != kube-system and container.id != host

- rule: Shell spawned
  desc: a shell
  condition: spawned_process and proc.name in (shell_binaries) and not user.name = ci
  output: shell %proc.name
  priority: WARNING
`;

describe('rebase of an overlay onto a new upstream', () => {
  const result = rebaseOverlay(OVERLAY, view('base.yaml', BASE), view('theirs.yaml', THEIRS));

  it('reports every rewrite and the conflict it left', () => {
    expect(result.rewrites).toEqual([
      { kind: 'list-merged', name: 'shell_binaries', added: ['zsh'], removed: ['csh'] },
      { kind: 'macro-to-append', name: 'spawned_process', clause: 'and not proc.name = pause' },
      { kind: 'rule-to-append', name: 'Shell spawned', clause: 'and not user.name = ci' },
    ]);
    expect(result.conflicts).toEqual([
      {
        itemType: 'macro',
        name: 'container',
        line: 10,
        reason: "upstream changed this macro and ours is not upstream's condition plus a clause: merge by hand",
      },
    ]);
  });

  it('keeps comments and the untouched item byte for byte', () => {
    expect(result.text).toContain('# Our tuning for production.\n');
    expect(result.text).toContain('# Keep ksh: our batch hosts use it.\n- list: shell_binaries\n  items: [ bash, sh, ksh, zsh ]');
    expect(result.text).toContain('- macro: container\n  condition: k8s.ns.name != kube-system and container.id != host\n');
  });

  it('the rebased overlay loads over the new upstream with the conditions we expect', () => {
    const loaded = loadRules([
      { path: 'theirs.yaml', text: THEIRS },
      { path: 'overlay.yaml', text: result.text },
    ]);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.lists.find((l) => l.name === 'shell_binaries')?.items).toEqual(['bash', 'sh', 'ksh', 'zsh']);
    expect(loaded.macros.find((m) => m.name === 'spawned_process')?.compiledCondition).toBe(
      canonical('evt.type in (execve, execveat) and not proc.name = pause'),
    );
    expect(loaded.rules.find((r) => r.name === 'Shell spawned')?.compiledCondition).toBe(
      canonical('(evt.type in (execve, execveat) and not proc.name = pause) and proc.name in (bash, sh, ksh, zsh) and proc.tty != 0 and not user.name = ci'),
    );
  });

  it.skipIf(missingUpstream('falco_rules/rules-3.2.0.yaml', 'falco_rules/rules-4.0.0.yaml'))(
    'on real upstream rules 3.2.0 -> 4.0.0, a copied list gains the new item and keeps ours',
    () => {
      const base = mergeUpstream([read(readUpstream('falco_rules/rules-3.2.0.yaml'))]);
      const theirs = mergeUpstream([read(readUpstream('falco_rules/rules-4.0.0.yaml'))]);
      const r = rebaseOverlay('- list: read_sensitive_file_binaries\n  items: [iptables, ps, sshd]\n', base, theirs);
      expect(r.rewrites).toEqual([{ kind: 'list-merged', name: 'read_sensitive_file_binaries', added: ['sshd-session'], removed: [] }]);
      expect(r.text).toBe('- list: read_sensitive_file_binaries\n  items: [ iptables, ps, sshd, sshd-session ]\n');
    },
  );

  it.skipIf(missingUpstream('falco_rules/rules-4.0.0.yaml', 'falco_rules/rules-5.1.0.yaml'))(
    'on real upstream rules 4.0.0 -> 5.1.0, a copy of spawned_process with an inner clause is left for a human',
    () => {
      const base = mergeUpstream([read(readUpstream('falco_rules/rules-4.0.0.yaml'))]);
      const theirs = mergeUpstream([read(readUpstream('falco_rules/rules-5.1.0.yaml'))]);
      const text = '- macro: spawned_process\n  condition: (evt.type in (execve, execveat) and evt.dir=< and proc.name != pause)\n';
      const r = rebaseOverlay(text, base, theirs);
      expect(r.rewrites).toEqual([]);
      expect(r.conflicts.map((c) => [c.name, c.line])).toEqual([['spawned_process', 1]]);
      expect(r.text).toBe(text);
    },
  );

  it('a macro appended after an upstream `or` would change meaning, so it is a conflict', () => {
    const r = rebaseOverlay(
      '- macro: m\n  condition: a.b = 1 and c.d = 2\n',
      view('b.yaml', '- macro: m\n  condition: a.b = 1\n'),
      view('t.yaml', '- macro: m\n  condition: a.b = 1 or a.b = 3\n'),
    );
    expect(r.rewrites).toEqual([]);
    expect(r.conflicts.map((c) => c.name)).toEqual(['m']);
  });
});
