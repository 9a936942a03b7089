import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDiffMarkdown, type DiffChange } from '../../src/analysis/diff/index.js';
import { diffEnvironments } from '../../src/environment/index.js';
import { openRepository, readRevision, type RevisionReader } from '../../src/git/index.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

const UPSTREAM_V1 = `- required_engine_version: 0.26.0
- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type = execve and evt.dir=<
- rule: Shell spawned
  desc: a shell was spawned
  condition: spawned_process and proc.name in (shell_binaries)
  output: shell spawned (proc=%proc.name)
  priority: WARNING
  tags: [process]
- rule: Write below etc
  desc: a write below /etc
  condition: evt.type in (open, openat) and evt.is_open_write=true and fd.name startswith /etc/
  output: write below etc (file=%fd.name)
  priority: ERROR
`;
const UPSTREAM_V2 =
  UPSTREAM_V1.replace('condition: evt.type = execve and evt.dir=<', 'condition: evt.type in (execve, execveat) and evt.dir=<') +
  `- rule: Shell history deleted
  desc: shell history removed
  condition: evt.type in (unlink, unlinkat) and fd.name endswith .bash_history
  output: history deleted (file=%fd.name)
  priority: WARNING
`;
const env = (name: string, version: string) =>
  `description: ${name}\nversion: ${version}\nlayers:\n  - rules/upstream/falco_rules.yaml\n  - environments/${name}/overlay.yaml\n`;
const OVERLAY_V1 = '- list: shell_binaries\n  items: [zsh]\n  override:\n    items: append\n';
const OVERLAY_V2 = `${OVERLAY_V1}- rule: Write below etc\n  enabled: false\n  override:\n    enabled: replace\n`;

function project(c: DiffChange): string {
  switch (c.kind) {
    case 'rule-events-changed':
    case 'macro-events-changed':
      return `${c.kind} ${'rule' in c ? c.rule : c.macro} +${c.gained.join(',')} -${c.lost.join(',')}`;
    case 'list-items-changed':
      return `${c.kind} ${c.list} +${c.added.join(',')} -${c.removed.join(',')}`;
    default:
      return `${c.kind} ${'rule' in c ? c.rule : 'macro' in c ? c.macro : 'list' in c ? c.list : ''}`.trim();
  }
}
describe('diff between git revisions, per environment', () => {
  let repo: TempRepo;
  const commits: string[] = [];
  const at = async (ref: string): Promise<RevisionReader> => {
    const r = await readRevision(openRepository(repo.dir), ref);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  beforeAll(() => {
    repo = createTempRepo();
    commits.push(
      repo.commit(
        {
          'rules/upstream/falco_rules.yaml': UPSTREAM_V1,
          'environments/staging/environment.yaml': env('staging', '1.2.0'),
          'environments/staging/overlay.yaml': '- list: unused_here\n  items: []\n',
        },
        'initial',
      ),
    );
    commits.push(repo.commit({ 'environments/staging/overlay.yaml': OVERLAY_V1 }, 'staging: zsh is a shell'));
    commits.push(repo.commit({ 'environments/staging/overlay.yaml': OVERLAY_V2 }, 'staging: disable Write below etc'));
    commits.push(repo.commit({ 'rules/upstream/falco_rules.yaml': UPSTREAM_V2 }, 'upstream bump'));
    commits.push(
      repo.commit(
        { 'environments/production/environment.yaml': env('production', '0.1.0'), 'environments/production/overlay.yaml': OVERLAY_V1 },
        'add production',
      ),
    );
  });
  afterAll(() => repo.remove());

  it('an overlay list append reaches the rule through the list; the removed list makes it major', async () => {
    const r = diffEnvironments(await at(commits[0]!), await at(commits[1]!));
    const staging = r.environments[0]!;
    expect(staging.diff.changes.map(project)).toEqual([
      'rule-condition-changed Shell spawned',
      'list-removed unused_here',
      'list-items-changed shell_binaries +zsh -',
    ]);
    expect([staging.status, staging.bump, staging.suggestedVersion]).toEqual(['changed', 'major', '2.0.0']);
  });

  it('disabling a rule in an overlay is major', async () => {
    const r = diffEnvironments(await at(commits[1]!), await at(commits[2]!));
    expect(r.environments.map((e) => [e.environment, e.bump, e.diff.changes.map(project)])).toEqual([['staging', 'major', ['rule-disabled Write below etc']]]);
  });

  it('an upstream bump shows the macro change in the rule it reaches, with the event type gained, and the new rule', async () => {
    const r = diffEnvironments(await at(commits[2]!), await at(commits[3]!));
    expect(r.environments[0]!.diff.changes.map(project)).toEqual([
      'rule-added Shell history deleted',
      'rule-condition-changed Shell spawned',
      'rule-events-changed Shell spawned +execveat -',
      'macro-changed spawned_process',
      'macro-events-changed spawned_process +execveat -',
    ]);
    // A macro and a rule matching more events are patch; the added rule makes it minor.
    expect([r.environments[0]!.bump, r.environments[0]!.suggestedVersion]).toEqual(['minor', '1.3.0']);
  });

  it('an environment added between revisions is all additions, and an unchanged one says so', async () => {
    const r = diffEnvironments(await at(commits[3]!), await at(commits[4]!));
    expect(r.environments.map((e) => [e.environment, e.status, e.bump])).toEqual([
      ['production', 'added', 'minor'],
      ['staging', 'unchanged', 'none'],
    ]);
    expect(r.environments[0]!.diff.changes.filter((c) => c.kind === 'rule-added').map(project)).toEqual([
      'rule-added Shell history deleted',
      'rule-added Shell spawned',
      'rule-added Write below etc',
    ]);
  });

  it('the CLI renders the PR comment from git refs without touching the working tree', async () => {
    let out = '';
    const io: CliIO = { cwd: repo.dir, env: {}, stdout: (t) => (out += t), stderr: () => {}, readStdin: async () => '', isTTY: false };
    const code = await runCli(['diff', '--base', commits[2]!, '--head', commits[3]!, '--format', 'markdown'], io);
    expect(code).toBe(0);
    expect(out).toContain('| staging | changed | 5 | **minor** | 1.2.0 → 1.3.0 |');
    expect(out).toContain('<details><summary>staging: 5 change(s), minor</summary>');
  });

  it('an unknown revision is an input error naming it', async () => {
    let err = '';
    const io: CliIO = { cwd: repo.dir, env: {}, stdout: () => {}, stderr: (t) => (err += t), readStdin: async () => '', isTTY: false };
    expect(await runCli(['diff', '--base', 'no-such-ref'], io)).toBe(2);
    expect(err).toMatch(/^error: --base: cannot resolve revision 'no-such-ref'/);
  });

  it('cuts a long PR comment with a note', async () => {
    const r = diffEnvironments(await at(commits[3]!), await at(commits[4]!));
    const md = renderDiffMarkdown(r, { base: 'a', head: 'b' }, 300);
    expect(md).toContain('environment section(s) left out');
    expect(md).not.toContain('<details>');
  });
});

describe('diffEnvironments reuses what is loaded', () => {
  it('does not parse the head again when given its load, as ci does', async () => {
    const { fsRepositoryReader } = await import('../../src/config/index.js');
    const { loadRepository } = await import('../../src/environment/index.js');
    const { REPO_ROOT } = await import('../helpers/shared.js');
    const head = fsRepositoryReader(REPO_ROOT);
    const load = loadRepository(head);
    if (!load.ok) throw new Error(load.message);
    const parsedByLoad = load.cache.parseCount();
    const changed = 'environments/staging/overlays/tuning.yaml';
    const base = { ...head, readText: (p: string) => (p === changed ? `${head.readText(p)}\n# base side\n` : head.readText(p)) };
    const result = diffEnvironments(base, head, [], { head: load });
    expect(load.cache.parseCount()).toBe(parsedByLoad);
    expect(result.environments.map((e) => [e.environment, e.status])).toEqual([
      ['production', 'unchanged'],
      ['staging', 'unchanged'],
    ]);
    expect(result.diagnostics).toEqual([]);
  });
});
