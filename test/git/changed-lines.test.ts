import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedLinesSince, openRepository } from '../../src/git/index.js';
import { createTempRepo, type TempRepo } from './temp-repo.js';

describe('changedLinesSince: the working tree against a revision', () => {
  let repo: TempRepo;
  let base: string;
  beforeAll(() => {
    repo = createTempRepo();
    base = repo.commit({ 'a.yaml': 'one\ntwo\nthree\nfour\n', 'café rules.yaml': 'x\ny\n', 'gone.yaml': 'z\n' }, 'base');
    repo.commit({ 'a.yaml': 'one\nTWO\nthree\nfour\nfive\n', 'café rules.yaml': 'x\ny\nw\n', 'gone.yaml': null }, 'change');
    writeFileSync(join(repo.dir, 'a.yaml'), 'zero\none\nTWO\nthree\nfour\nfive\n'); // uncommitted
    writeFileSync(join(repo.dir, 'new.yaml'), 'n\n'); // untracked
  });
  afterAll(() => repo.remove());

  it('gives changed line ranges of the head side, quoted paths decoded, untracked files whole, deleted files absent', async () => {
    const changed = await changedLinesSince(openRepository(repo.dir), base);
    expect(changed.ok && Object.fromEntries(changed.value)).toEqual({
      'a.yaml': [
        [1, 1],
        [3, 3],
        [6, 6],
      ],
      'café rules.yaml': [[3, 3]],
      'new.yaml': 'all',
    });
  });

  it('names the revision it cannot diff against', async () => {
    const changed = await changedLinesSince(openRepository(repo.dir), 'no-such-ref');
    expect(changed.ok ? '' : changed.message).toContain('no-such-ref');
  });
});
