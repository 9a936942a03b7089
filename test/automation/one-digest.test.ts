/**
 * `build` + `publish` and `release` pack one environment of one commit into the same bytes: the same
 * manifest digest, so falcoctl followers never reinstall, and a release after a manual publish of the
 * same content succeeds instead of failing on the immutable version tag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { edit, exampleRepository } from './example-repo.js';

const registry = inject('registry');
const NAMESPACE = `one-digest-${process.pid}-${Date.now().toString(36)}`;

describe.skipIf(!registry.available)('one commit, one digest', () => {
  let repo: TempRepo;
  let home: string;
  beforeAll(() => {
    repo = createTempRepo();
    home = mkdtempSync(join(tmpdir(), 'fg-one-digest-'));
    const files = exampleRepository();
    files['falco-gitops.yaml'] = edit(files['falco-gitops.yaml']!, 'registry: ghcr.io/acme', `registry: ghcr.io/${NAMESPACE}`);
    repo.commit(files, 'rules');
  });
  afterAll(() => {
    repo.remove();
    rmSync(home, { recursive: true, force: true });
  });

  it('build + publish, then release of the same commit: same digest, no error', async () => {
    const env = { HOME: home, GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/rules' };
    expect((await run(['build', '--env', 'production', '--out', 'out'], { cwd: repo.dir, env })).code).toBe(0);
    const published = await run(['publish', '--env', 'production', '--registry', registry.open, '--format', 'json'], { cwd: repo.dir, env });
    expect(published.code).toBe(0);
    const pub = JSON.parse(published.stdout) as { results?: { digest: string }[]; artifacts?: { digest: string }[] };
    const publishedDigest = (pub.results ?? pub.artifacts ?? [])[0]?.digest;
    expect(publishedDigest).toMatch(/^sha256:/);

    const released = await run(['release', '--env', 'production', '--registry', registry.open, '--format', 'json'], { cwd: repo.dir, env });
    expect(released.stderr).not.toMatch(/immutable|already points/);
    expect(released.code).toBe(0);
    const rel = JSON.parse(released.stdout) as { releases: { environment: string; digest: string }[] };
    expect(rel.releases.map((r) => [r.environment, r.digest])).toEqual([['production', publishedDigest]]);
  });
});
