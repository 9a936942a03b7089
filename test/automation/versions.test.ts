/**
 * One versioning model for `build`, `publish` and `release`, on a repository started with `init`
 * that pins real upstream rules: `publish` refuses an out/ the working tree has moved past; after
 * the README's `build && publish`, `release` knows the version is out (its dry run plans no first
 * release, the real run pushes nothing and only tags it); a first release's notes say what the
 * release holds, not a diff against a version that never existed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TempRepo } from '../git/temp-repo.js';
import { missingUpstream } from '../helpers/shared.js';
import { edit } from './example-repo.js';
import { initRepository, type InitRepository } from './init-repo.js';

const registry = inject('registry');
const RULES = 'falco_rules/rules-5.1.0.yaml';
const missing = missingUpstream(RULES) ?? (registry.available ? undefined : registry.reason);
const NAMESPACE = `versions-${process.pid}-${Date.now().toString(36)}`;
const PRODUCTION = 'environments/production/environment.yaml';
const TUNING = 'environments/production/overlays/tuning.yaml';

describe.skipIf(missing !== undefined)(`versions shared by build, publish and release${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let setup: InitRepository;
  let repo: TempRepo;
  let out: string;
  const cli = (...argv: string[]) => setup.cli(...argv);
  const read = (path: string) => setup.read(path);
  const registryTags = async (name: string) => {
    const res = await fetch(`http://${registry.open}/v2/${NAMESPACE}/${name}/tags/list`);
    return res.status === 404 ? [] : ((await res.json()) as { tags: string[] }).tags.sort();
  };
  const gitTags = () => execFileSync('git', ['tag', '--list'], { cwd: repo.dir, encoding: 'utf8' }).split('\n').filter(Boolean).sort();

  beforeAll(async () => {
    setup = await initRepository([['falco_rules', '5.1.0', RULES]], NAMESPACE);
    repo = setup.repo;
    out = setup.home;
  });
  afterAll(() => setup.remove());

  it('publish refuses an out/ older than the working tree: a new version, or changed rules', async () => {
    expect((await cli('build')).code).toBe(0);
    writeFileSync(join(repo.dir, PRODUCTION), edit(read(PRODUCTION), 'version: 0.1.0', 'version: 0.2.0'));
    const bumped = await cli('publish', '--registry', registry.open, '--env', 'production');
    expect(bumped.code).toBe(2);
    expect(bumped.stderr).toContain('out/oci is stale: it does not match the working tree, so nothing was published.');
    expect(bumped.stderr).toContain('production: environment.yaml now says version 0.2.0, out/ holds 0.1.0');
    expect(bumped.stderr).toContain('Run `falco-gitops build` again, then publish.');
    execFileSync('git', ['checkout', '-q', '--', PRODUCTION], { cwd: repo.dir });

    writeFileSync(join(repo.dir, TUNING), `${read(TUNING)}\n- list: shell_binaries\n  items: [fish]\n  override:\n    items: append\n`);
    const tuned = await cli('publish', '--registry', registry.open, '--dry-run');
    expect(tuned.code).toBe(2);
    expect(tuned.stderr).toContain('production: its rendered rules changed since `build`');
    expect(tuned.stderr).not.toContain('staging:');
    execFileSync('git', ['checkout', '-q', '--', TUNING], { cwd: repo.dir });
    expect(await registryTags('falco-rules-production')).toEqual([]);
  });

  it("after the README's build && publish, release plans no first release and pushes nothing: it only tags", async () => {
    expect((await cli('build')).code).toBe(0);
    const published = await cli('publish', '--registry', registry.open, '--env', 'production', '--format', 'json');
    expect(published.code).toBe(0);
    const digest = (JSON.parse(published.stdout) as { artifacts: { digest: string }[] }).artifacts[0].digest;
    const tagsBefore = await registryTags('falco-rules-production');
    expect(tagsBefore).toEqual(['0', '0.1', '0.1.0', 'latest']);

    const plan = await cli('release', '--registry', registry.open, '--env', 'production', '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stdout).not.toContain('first release');
    expect(plan.stdout).toBe(
      `production: 0.1.0 already published as ${registry.open}/${NAMESPACE}/falco-rules-production@${digest} (same content, shipped by publish): would only tag it\n`,
    );
    expect(gitTags()).toEqual([]);

    const released = await cli('release', '--registry', registry.open, '--env', 'production', '--notes-dir', join(out, 'notes'), '--format', 'json');
    expect(released.code).toBe(0);
    const result = JSON.parse(released.stdout) as { releases: { digest: string; alreadyPublished?: boolean; gitTag?: string; notesFile?: string }[] };
    expect(result.releases).toMatchObject([{ digest, alreadyPublished: true, gitTag: 'production/v0.1.0' }]);
    expect(result.releases[0].notesFile).toBeUndefined();
    expect(gitTags()).toEqual(['production/v0.1.0']);
    expect(await registryTags('falco-rules-production')).toEqual(tagsBefore);

    // from there on release diffs against that tag: nothing changed, nothing to do
    const again = await cli('release', '--registry', registry.open, '--env', 'production');
    expect(again.stdout).toBe('production: unchanged (no effective change since production/v0.1.0)\n');
  });

  it("a first release's notes say what it holds: no earlier version, no diff against nothing", async () => {
    const released = await cli('release', '--registry', registry.open, '--env', 'staging', '--notes-dir', join(out, 'notes'), '--format', 'json');
    expect(released.code).toBe(0);
    const [staging] = (JSON.parse(released.stdout) as { releases: { reference: string; notesFile: string }[] }).releases;
    const notes = readFileSync(staging.notesFile, 'utf8');
    const lines = notes.split('\n');
    expect(lines[0]).toBe('### `staging` 0.1.0: first release');
    expect(lines[2]).toMatch(
      /^The first release of environment `staging`: \d+ rules \(\d+ enabled\), \d+ macros and \d+ lists, from these layers in load order:$/,
    );
    expect(lines).toContain('- `rules/upstream/falco_rules.yaml` (upstream falco_rules 5.1.0)');
    expect(lines).toContain('- `environments/staging/overlays/tuning.yaml`');
    expect(notes).toMatch(/^Requires Falco engine version 0\.\d+\.0/m);
    expect(notes).toContain(`Artifact: \`${staging.reference}\``);
    // nothing that reads as a change from an earlier release
    expect(notes).not.toMatch(/→|has added|first release\)|\bchanges?\b/);
  });
});
