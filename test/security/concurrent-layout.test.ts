import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { exampleRepoFiles, removeTempRepo, writeTempRepo } from '../build/temp-repo.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) removeTempRepo(r);
});

function repo(): string {
  const root = writeTempRepo(exampleRepoFiles(REPO_ROOT));
  roots.push(root);
  return root;
}

/** The layout's index and every blob it names, read back: a whole, consistent layout. */
function readLayout(dir: string): { index: string; blobs: string[] } {
  const index = readFileSync(join(dir, 'index.json'), 'utf8');
  const manifests = (JSON.parse(index) as { manifests: { digest: string }[] }).manifests;
  for (const m of manifests) readFileSync(join(dir, 'blobs', 'sha256', m.digest.slice(7)));
  return { index, blobs: readdirSync(join(dir, 'blobs', 'sha256')).sort() };
}

/** A process id no process has: one that just exited. */
function deadPid(): number {
  const child = spawnSync('true');
  return child.pid!;
}

describe('concurrent writers of out/oci', () => {
  it('four builds at once into one out dir all succeed and leave one whole layout, no temp or old folders', async () => {
    const root = repo();
    const reference = await run(['build', '--out', 'ref'], { cwd: root });
    expect(reference.code).toBe(0);
    const runs = await Promise.all([1, 2, 3, 4].map(() => run(['build', '--out', 'out'], { cwd: root })));
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['oci', 'production', 'staging']);
    expect(readLayout(join(root, 'out', 'oci'))).toEqual(readLayout(join(root, 'ref', 'oci')));
  });

  it('a lock and leftovers of a writer that died are cleared by the next build', async () => {
    const root = repo();
    const pid = deadPid();
    mkdirSync(join(root, 'out', 'oci.lock'), { recursive: true });
    writeFileSync(join(root, 'out', 'oci.lock', 'owner'), `${pid}\n`);
    mkdirSync(join(root, 'out', `oci.tmp-${pid}-0a1b2c`, 'blobs'), { recursive: true });
    mkdirSync(join(root, 'out', `oci.old-${pid}-3d4e5f`), { recursive: true });
    mkdirSync(join(root, 'out', `oci.tmp-${process.pid}-777777`), { recursive: true }); // a live writer's: kept
    const r = await run(['build', '--out', 'out'], { cwd: root });
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['oci', `oci.tmp-${process.pid}-777777`, 'production', 'staging']);
    readLayout(join(root, 'out', 'oci'));
  });
});
