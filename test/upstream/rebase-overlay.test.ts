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

  it('edits only the rewritten nodes: comments, flow style, spacing and the untouched item stay byte for byte', () => {
    expect(result.text).toBe(`# Our tuning for production.

# Keep ksh: our batch hosts use it.
- list: shell_binaries
  items: [bash, sh, ksh, zsh]   # pinned by hand

- macro: spawned_process
  condition: and not proc.name = pause
  override: {condition: append}

- macro: container
  condition: k8s.ns.name != kube-system and container.id != host

- rule: Shell spawned
  condition: and not user.name = ci
  override: {condition: append}
`);
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
      expect(r.text).toBe('- list: read_sensitive_file_binaries\n  items: [iptables, ps, sshd, sshd-session]\n');
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

describe('the rebase edits only what it changes', () => {
  const base = view('b.yaml', '- list: l\n  items: [a, b, c, d]\n- macro: m\n  condition: x.y = 1\n');
  const theirs = view('t.yaml', '- list: l\n  items: [b, d, e, "f g"]\n- macro: m\n  condition: x.y = 2\n');

  it('a block list loses removed items with their lines and gains new ones in its own indentation and quoting', () => {
    const text = '- list: l\n  items:\n    - "a"   # first\n    - "b"\n    # keep c\n    - "c"\n    - "d"   # last\n- list: other\n  items: [x]\n';
    const r = rebaseOverlay(text, base, theirs);
    expect(r.text).toBe('- list: l\n  items:\n    - "b"\n    # keep c\n    - "d"   # last\n    - "e"\n    - "f g"\n- list: other\n  items: [x]\n');
  });

  it('a flow list keeps its separators and line breaks; removals take their comma with them', () => {
    const r = rebaseOverlay('- list: l\n  items: [\n      a,b,\n      c,\n      d, mine\n  ]\n', base, theirs);
    expect(r.text).toBe('- list: l\n  items: [\n      b,\n      d, mine,e,f g\n  ]\n');
    expect(rebaseOverlay('- list: l\n  items: [a, b, c]\n', base, theirs).text).toBe('- list: l\n  items: [b, e, f g]\n');
  });

  it("a copy of upstream's macro takes the new condition in its own scalar style, and an existing override is rewritten in place", () => {
    const folded = rebaseOverlay('- macro: m  # ours\n  condition: >\n    x.y = 1\n- list: z\n  items: [q]\n', base, theirs);
    expect(folded.text).toBe('- macro: m  # ours\n  condition: >\n    x.y = 2\n- list: z\n  items: [q]\n');
    const appended = rebaseOverlay('- macro: m\n  override:\n    condition: replace\n  condition: "x.y = 1 and proc.name = k"\n', base, theirs);
    expect(appended.text).toBe('- macro: m\n  override:\n    condition: append\n  condition: "and proc.name = k"\n');
  });
});
