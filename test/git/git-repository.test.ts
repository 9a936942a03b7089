import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitTime, listFilesAt, listTags, openRepository, readFileAt, resolveRevision } from '../../src/git/index.js';
import { createTempRepo, type TempRepo } from './temp-repo.js';

describe('git repository access', () => {
  let repo: TempRepo;
  let first: string;
  let second: string;
  beforeAll(() => {
    repo = createTempRepo();
    first = repo.commit({ 'rules/a.yaml': '- list: a\n  items: [x]\n', 'README.md': 'hi\n' }, 'first', '2024-03-01T10:00:00Z');
    repo.tag('production/v1.0.0');
    second = repo.commit({ 'rules/a.yaml': '- list: a\n  items: [x, y]\n', 'rules/b.yaml': '- list: b\n  items: []\n' }, 'second', '2024-03-02T10:00:00Z');
    repo.tag('production/v1.1.0');
  });
  afterAll(() => repo.remove());

  it('reads a file as it was at an older revision without touching the working tree', async () => {
    writeFileSync(join(repo.dir, 'rules/a.yaml'), 'uncommitted\n');
    const git = openRepository(repo.dir);
    const old = await readFileAt(git, first, 'rules/a.yaml');
    expect(old).toEqual({ ok: true, value: '- list: a\n  items: [x]\n' });
    const head = await readFileAt(git, 'HEAD', 'rules/a.yaml');
    expect(head).toEqual({ ok: true, value: '- list: a\n  items: [x, y]\n' });
    expect(readFileSync(join(repo.dir, 'rules/a.yaml'), 'utf8')).toBe('uncommitted\n');
  });

  it('says null for a file the revision does not have', async () => {
    const git = openRepository(repo.dir);
    expect(await readFileAt(git, first, 'rules/b.yaml')).toEqual({ ok: true, value: null });
  });

  it('lists the files of a revision under a folder, sorted', async () => {
    const git = openRepository(repo.dir);
    expect(await listFilesAt(git, second, 'rules')).toEqual({ ok: true, value: ['rules/a.yaml', 'rules/b.yaml'] });
    expect(await listFilesAt(git, first)).toEqual({ ok: true, value: ['README.md', 'rules/a.yaml'] });
  });

  it('resolves revisions and tags, and reports an unknown one as a value', async () => {
    const git = openRepository(repo.dir);
    expect(await resolveRevision(git, 'production/v1.0.0')).toEqual({ ok: true, value: first });
    const missing = await resolveRevision(git, 'no-such-branch');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.message).toMatch(/^cannot resolve revision 'no-such-branch'.*\(branches here: /);
    const branch = (await git.git.raw(['branch', '--show-current'])).trim();
    const typo = await resolveRevision(git, `${branch}x`);
    expect(!typo.ok && typo.message).toMatch(new RegExp(`\\(did you mean '${branch}'\\?\\)$`));
  });

  it('reads commit times and tags', async () => {
    const git = openRepository(repo.dir);
    const time = await commitTime(git, second);
    expect(time.ok && time.value.toISOString()).toBe('2024-03-02T10:00:00.000Z');
    expect(await listTags(git, 'production/v*')).toEqual({ ok: true, value: ['production/v1.0.0', 'production/v1.1.0'] });
  });
});
