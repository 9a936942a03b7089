/**
 * A repository pinning real upstream rules keeps its own copy of an upstream list. Reviewers see
 * each change word by word (item by item for lists), cut to the changed part and wrapped, in `diff`
 * text, Markdown and JSON; a shadowed default shows upstream's change and ours against it, in
 * `upstream check` and in `ci`'s comment.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../git/temp-repo.js';
import { initPinnedRepository, type InitRepository } from './init-repo.js';
import { run } from '../helpers/cli.js';
import { missingUpstream, UPSTREAM_RULES } from '../helpers/shared.js';

const OLD = 'falco_rules/rules-4.0.0.yaml';
const NEW = 'falco_rules/rules-5.1.0.yaml';
const missing = missingUpstream(OLD, NEW);
const OVERLAY = 'environments/production/overlays/tuning.yaml';

/** Upstream 4.0.0's list read_sensitive_file_binaries as a copy of ours, plus our backup agent (5.1.0 adds rkhunter). */
function ourCopy(extra: string): string {
  const upstream = readFileSync(join(UPSTREAM_RULES, OLD), 'utf8');
  const start = upstream.indexOf('- list: read_sensitive_file_binaries');
  const end = upstream.indexOf('\n\n', start);
  return upstream.slice(start, end).replace(/\n\s*\]$/, `, ${extra}\n    ]`) + '\n';
}

describe.skipIf(missing !== undefined)(`changes word by word${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let repo: TempRepo;
  let setup: InitRepository;
  let newUpstream: string;
  let base: string;
  const cli = (argv: string[]) => run(argv, { cwd: repo.dir, env: { HOME: repo.dir } });
  beforeAll(async () => {
    setup = await initPinnedRepository('4.0.0');
    ({ repo } = setup);
    base = repo.commit({ [OVERLAY]: ourCopy('backup-agent') }, 'init, pin falco_rules 4.0.0, our copy of a list');
    newUpstream = mkdtempSync(join(tmpdir(), 'fg-new-upstream-'));
    copyFileSync(join(UPSTREAM_RULES, NEW), join(newUpstream, 'falco_rules.yaml'));
  });
  afterAll(() => {
    setup.remove();
    rmSync(newUpstream, { recursive: true, force: true });
  });

  it('diff shows a list edit item by item and the rules it reaches word by word, in text, Markdown and JSON', async () => {
    repo.commit({ [OVERLAY]: ourCopy('backup-agent, rsync') }, 'rsync reads sensitive files too');
    const text = await cli(['diff', '--base', base, '--env', 'production']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/list `read_sensitive_file_binaries` \+rsync\n {4}items: … [^]*ossec-syscheckd, sshd-session, backup-agent,\s+\{\+rsync\+\}\n/);
    // the compiled condition of an upstream rule that uses the list: only the changed part, with context
    expect(text.stdout).toMatch(
      /rule `Read sensitive file untrusted` compiled condition changed\n {4}condition: … [^]*sshd-session, backup-agent,\s+\{\+rsync/,
    );
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(120);

    const markdown = (await cli(['diff', '--base', base, '--env', 'production', '--format', 'markdown'])).stdout;
    expect(markdown).toContain('<ins>rsync</ins>');
    expect(markdown).toMatch(/condition: <code>… [^]*backup\\-agent,\s+<ins>rsync/);
    for (const line of markdown.split('\n').filter((l) => l.includes('<code>'))) expect(line.length).toBeLessThanOrEqual(110);

    const json = JSON.parse((await cli(['diff', '--base', base, '--env', 'production', '--format', 'json'])).stdout) as {
      data: { environments: { diff: { changes: { kind: string; words?: { op: string; text: string }[] }[] } }[] };
    };
    const changes = json.data.environments[0]!.diff.changes;
    expect(changes.find((c) => c.kind === 'list-items-changed')?.words?.filter((w) => w.op !== 'same')).toEqual([{ op: 'added', text: 'rsync' }]);
    expect(changes.filter((c) => c.kind === 'rule-condition-changed').every((c) => c.words?.some((w) => w.op === 'added' && w.text.includes('rsync')))).toBe(
      true,
    );
  });

  it('upstream check shows base → new upstream and new upstream → ours, item by item and wrapped', async () => {
    const r = await cli(['upstream', 'check', '--to', newUpstream, '--env', 'production']);
    expect(r.stdout).toContain('changed-underneath');
    expect(r.stdout).toMatch(/ {4}items:\n {6}upstream added: \[rkhunter\]\n[^]* {6}upstream base → new: … [^]*sshd-session, \{\+rkhunter\+\}\n/);
    expect(r.stdout).toMatch(/ {6}new upstream → ours: … [^]*sshd-session, \[-rkhunter-\], \{\+backup-agent, rsync\+\}\n/);
    // the values under each finding are wrapped (the finding's own line is compiler style, one line)
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('    '))) expect(line.length).toBeLessThanOrEqual(120);
  });

  it("ci's comment, after upstream moves, shows the shadowed list's three sides word by word", async () => {
    const before = repo.commit({}, 'before the upstream move');
    expect((await cli(['upstream', 'pull', 'falco_rules', '--version', '5.1.0', '--from', join(UPSTREAM_RULES, NEW)])).code).toBe(0);
    execFileSync('git', ['add', '-A'], { cwd: repo.dir });
    repo.commit({}, 'falco_rules 5.1.0');
    const r = await cli(['ci', '--base', before, '--env', 'production', '--format', 'markdown']);
    expect(r.stdout).toContain('shadow/changed-underneath');
    const details = r.stdout.slice(r.stdout.indexOf('<summary>Word by word</summary>'));
    expect(details).toMatch(
      /list read\\_sensitive\\_file\\_binaries\n\n {2}items, upstream base → new: <code>… [^]*sshd\\-session, <ins>rkhunter<\/ins><\/code>/,
    );
    expect(details).toMatch(/items, new upstream → ours: <code>… [^]*<del>rkhunter<\/del>, <ins>backup\\-agent,\s+rsync<\/ins><\/code>/);
  });
});
