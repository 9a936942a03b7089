import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGitRuleset, gitFromForVersion, parseGitFrom, parseLockFile, renderLockFile, sha256Hex, type LockedRuleset } from '../../src/upstream/index.js';
import { run } from '../helpers/cli.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';

describe('git+URL@TAG#path', () => {
  it.each([
    [
      'git+https://github.com/falcosecurity/rules@falco-rules-4.0.0#rules',
      { url: 'https://github.com/falcosecurity/rules', tag: 'falco-rules-4.0.0', path: 'rules' },
    ],
    [
      'git+ssh://git@github.com/acme/rules.git@v1.2.0#/rules/falco_rules.yaml/',
      { url: 'ssh://git@github.com/acme/rules.git', tag: 'v1.2.0', path: 'rules/falco_rules.yaml' },
    ],
    ['git+git@github.com:acme/rules.git@release/1.2', { url: 'git@github.com:acme/rules.git', tag: 'release/1.2', path: '' }],
    ['git+file:///srv/mirror/rules.git@4.0.0', { url: 'file:///srv/mirror/rules.git', tag: '4.0.0', path: '' }],
  ])('%s', (from, expected) => {
    expect(parseGitFrom(from)).toEqual(expected);
  });

  it.each([
    ['git+https://github.com/falcosecurity/rules', "'git+https://github.com/falcosecurity/rules' is not git+URL@TAG[#path/in/repo]"],
    ['git+ssh://git@github.com/acme/rules.git', "'git+ssh://***@github.com/acme/rules.git' is not git+URL@TAG[#path/in/repo]"],
    ['git+https://example.com/r@-x', "'git+https://example.com/r@-x' is not git+URL@TAG[#path/in/repo]"],
    ['git+https://example.com/r@v1#../etc', "'git+https://example.com/r@v1#../etc' is not git+URL@TAG[#path/in/repo]"],
    [
      'git+https://bot:hunter2@example.com/r@v1',
      "'git+https://***@example.com/r@v1': a password in the URL would be written to the lock; use a git credential helper",
    ],
  ])('refuses %s', (from, message) => {
    expect(parseGitFrom(from)).toBe(message);
  });
});

describe('the git tag of another version', () => {
  const source = { url: 'https://github.com/falcosecurity/rules', tag: 'falco-rules-4.0.0', path: 'rules/falco_rules.yaml' };
  it('swaps the pinned version in the tag, keeping its prefix and the path', () => {
    expect(gitFromForVersion(source, '4.0.0', '5.1.0')).toEqual({ url: source.url, tag: 'falco-rules-5.1.0', path: 'rules/falco_rules.yaml' });
    expect(gitFromForVersion({ url: 'u', tag: 'v1.2.0' }, '1.2.0', 'v1.3.0')).toEqual({ url: 'u', tag: 'v1.3.0', path: '' });
  });
  it('is null when the tag does not spell the pinned version', () => {
    expect(gitFromForVersion({ url: 'u', tag: 'main' }, '4.0.0', '5.1.0')).toBeNull();
  });
});

const V4_V5 = ['falco_rules/rules-4.0.0.yaml', 'falco_rules/rules-5.1.0.yaml'];

describe.skipIf(missingUpstream(...V4_V5))('upstream pull from a real git repository', () => {
  let repo: TempRepo;
  const dirs: string[] = [];
  let c4: string;
  const [v4, v5] = missingUpstream(...V4_V5) ? ['', ''] : V4_V5.map((f) => readUpstream(f).text);
  beforeAll(() => {
    repo = createTempRepo();
    c4 = repo.commit({ 'rules/falco_rules.yaml': v4, 'README.md': 'rules\n' }, 'rules 4.0.0');
    repo.tag('falco-rules-4.0.0');
    repo.commit({ 'rules/falco_rules.yaml': v5 }, 'rules 5.1.0');
    repo.tag('falco-rules-5.1.0');
  });
  afterAll(() => repo.remove());
  const fresh = () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'fg-upstream-git-')));
    return dirs.at(-1)!;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const lockEntry = (cwd: string): LockedRuleset | undefined => {
    const parsed = parseLockFile(readFileSync(join(cwd, 'rules/upstream/upstream.lock.yaml'), 'utf8'), 'lock');
    return parsed.ok ? parsed.lock.rulesets[0] : undefined;
  };

  it('clones the tag, vendors the file and records url, tag, path and commit in the lock', async () => {
    const cwd = fresh();
    const url = `file://${repo.dir}`;
    const r = await run(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', `git+${url}@falco-rules-4.0.0#rules`, '--format', 'json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const entry = {
      name: 'falco_rules',
      version: '4.0.0',
      file: 'rules/upstream/falco_rules.yaml',
      sha256: sha256Hex(v4),
      source: { kind: 'git', url, tag: 'falco-rules-4.0.0', path: 'rules/falco_rules.yaml', commit: c4 },
    };
    expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, pinned: entry, loadedBy: [] });
    expect(readFileSync(join(cwd, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(v4);
    expect(lockEntry(cwd)).toEqual(entry);
  });

  it('finds rules/<ruleset>.yaml without a path, and takes a path naming the file', async () => {
    const cwd = fresh();
    expect((await run(['upstream', 'pull', 'falco_rules', '--version', '5.1.0', '--from', `git+file://${repo.dir}@falco-rules-5.1.0`], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(v5);
    expect(lockEntry(cwd)?.source).toMatchObject({ tag: 'falco-rules-5.1.0', path: 'rules/falco_rules.yaml' });
    expect(
      (
        await run(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', `git+file://${repo.dir}@falco-rules-4.0.0#rules/falco_rules.yaml`], {
          cwd,
        })
      ).code,
    ).toBe(0);
    expect(readFileSync(join(cwd, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(v4);
  });

  it('an unknown tag, a missing file or a file that is not a rules file is an input error, and nothing is written', async () => {
    const cwd = fresh();
    const unknownTag = await run(['upstream', 'pull', 'falco_rules', '--version', '9.0.0', '--from', `git+file://${repo.dir}@falco-rules-9.0.0`], { cwd });
    expect(unknownTag.code).toBe(2);
    expect(unknownTag.stderr).toMatch(new RegExp(`^error: cannot clone file://${repo.dir} at 'falco-rules-9.0.0': .*falco-rules-9.0.0`));
    const missing = await run(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', `git+file://${repo.dir}@falco-rules-4.0.0#docs`], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: file://${repo.dir}@falco-rules-4.0.0 has none of docs/falco_rules.yaml\n`);
    const notRules = await run(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', `git+file://${repo.dir}@falco-rules-4.0.0#README.md`], {
      cwd,
    });
    expect(notRules.code).toBe(2);
    expect(notRules.stderr).toContain('falco_rules 4.0.0: not a valid Falco rules file');
    expect(existsSync(join(cwd, 'rules'))).toBe(false);
  });

  it('removes its temporary clone after a success and after a failure', async () => {
    const tempRoot = fresh();
    const ok = await fetchGitRuleset({ url: `file://${repo.dir}`, tag: 'falco-rules-4.0.0', path: '' }, 'falco_rules', { tempRoot });
    expect(ok.ok && ok.text).toBe(v4);
    const failed = await fetchGitRuleset({ url: `file://${repo.dir}`, tag: 'falco-rules-4.0.0', path: 'nowhere' }, 'falco_rules', { tempRoot });
    expect(failed.ok).toBe(false);
    const noRepo = await fetchGitRuleset({ url: `file://${tempRoot}/missing`, tag: 'v1', path: '' }, 'falco_rules', { tempRoot });
    expect(noRepo.ok).toBe(false);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('check and update --to a version fetch the renamed tag and move the pin', async () => {
    const cwd = fresh();
    const url = `file://${repo.dir}`;
    expect((await run(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', `git+${url}@falco-rules-4.0.0#rules`], { cwd })).code).toBe(0);
    mkdirSync(join(cwd, 'environments/prod'), { recursive: true });
    writeFileSync(
      join(cwd, 'environments/prod/environment.yaml'),
      'version: 1.0.0\nlayers:\n  - rules/upstream/falco_rules.yaml\n  - environments/prod/overlay.yaml\n',
    );
    writeFileSync(join(cwd, 'environments/prod/overlay.yaml'), '- list: read_sensitive_file_binaries\n  items: [iptables, ps, sshd]\n');
    const check = await run(['upstream', 'check', '--to', '5.1.0', '--format', 'json'], { cwd });
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout).data.findings.map((f: { id: string }) => f.id)).toEqual(['changed-underneath/list/read_sensitive_file_binaries']);
    const update = await run(['upstream', 'update', '--to', '5.1.0', '--rebase', '--format', 'json'], { cwd });
    expect(update.stderr).toBe('');
    expect(JSON.parse(update.stdout).rewrites).toEqual([
      { kind: 'list-merged', name: 'read_sensitive_file_binaries', added: ['rkhunter'], removed: [], file: 'environments/prod/overlay.yaml' },
    ]);
    expect(readFileSync(join(cwd, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(v5);
    expect(lockEntry(cwd)).toMatchObject({
      version: '5.1.0',
      sha256: sha256Hex(v5),
      source: { kind: 'git', url, tag: 'falco-rules-5.1.0', path: 'rules/falco_rules.yaml' },
    });
  });

  it('the lock keeps a git source with its path and commit, and refuses a malformed commit', () => {
    const entry: LockedRuleset = {
      name: 'falco_rules',
      version: '4.0.0',
      file: 'rules/upstream/falco_rules.yaml',
      sha256: sha256Hex(v4),
      source: { kind: 'git', url: 'https://github.com/falcosecurity/rules', tag: 'falco-rules-4.0.0', path: 'rules/falco_rules.yaml', commit: c4 },
    };
    const text = renderLockFile({ version: 1, rulesets: [entry] });
    expect(parseLockFile(text, 'lock')).toEqual({ ok: true, lock: { version: 1, rulesets: [entry] } });
    const bad = parseLockFile(text.replace(c4, 'abc'), 'lock');
    expect(bad.ok ? [] : bad.diagnostics.map((d) => d.message)).toEqual(["ruleset 'falco_rules': a git source's `commit` must be 40 lowercase hex digits"]);
  });
});
