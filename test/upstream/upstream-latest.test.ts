import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_RETRY, HttpClient, openRegistryStore, packArtifact, publishArtifact } from '../../src/oci/index.js';
import { newestRelease, releaseStatus, renderLockFile, sha256Hex } from '../../src/upstream/index.js';
import { run } from '../helpers/cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('newest release among tags', () => {
  const tags = ['latest', '4', '4.0', '4.0.0', '5.1', '5.1.0', '5.2.0-rc1', '5.0.3', '10.0', 'v3.9.0', 'falco-rules-9.0.0', '6.0.0+build'];

  it('is the highest full semver tag, floating and non-version tags ignored', () => {
    expect(newestRelease(tags, { prerelease: false })).toBe('5.1.0');
  });

  it('counts pre-releases only when asked for', () => {
    expect(newestRelease(tags, { prerelease: true })).toBe('5.2.0-rc1');
    expect(newestRelease(['5.2.0-rc1', '5.2.0'], { prerelease: true })).toBe('5.2.0');
  });

  it('keeps the tag as written, preferring the plain one when both spell the same version', () => {
    expect(newestRelease(['v3.9.0', '3.8.0'], { prerelease: false })).toBe('v3.9.0');
    expect(newestRelease(['v3.9.0', '3.9.0'], { prerelease: false })).toBe('3.9.0');
  });

  it('is null without any release tag', () => {
    expect(newestRelease(['latest', '4', '4.0'], { prerelease: false })).toBeNull();
  });

  it('an update exists only for a newer version', () => {
    expect(releaseStatus('r', '4.0.0', '5.1.0').updateAvailable).toBe(true);
    expect(releaseStatus('r', '5.1.0', '5.1.0').updateAvailable).toBe(false);
    expect(releaseStatus('r', '6.0.0', '5.1.0').updateAvailable).toBe(false);
    expect(releaseStatus('r', '4.0.0', null).updateAvailable).toBe(false);
    expect(releaseStatus('r', 'main', '5.1.0').updateAvailable).toBe(true);
  });
});

const registry = inject('registry');
const withRegistry = registry.available ? describe : describe.skip;

/** A repository holding one small rulesfile artifact under every given tag, as falcoctl artifacts carry. */
async function publishWithTags(repository: string, tags: string[]): Promise<void> {
  const http = new HttpClient({ userAgent: 'falco-gitops-test', timeoutMs: 30_000, retry: DEFAULT_RETRY });
  const store = openRegistryStore({ registry: registry.open, repository, plainHttp: true }, null, http);
  const packed = packArtifact({
    environment: 'upstream',
    repository: `${registry.open}/${repository}`,
    version: '4.0.0',
    rulesFileName: 'falco_rules.yaml',
    rulesFile: Buffer.from('- list: shells\n  items: [bash]\n'),
    requiredEngineVersion: null,
    requiredPluginVersions: [],
    annotations: { created: '2025-01-01T00:00:00Z' },
  });
  await publishArtifact(store, packed);
  for (const tag of tags) await store.tag(packed.manifest.descriptor, tag);
}

withRegistry('upstream latest against a real registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-upstream-latest-'));
  const suffix = Date.now().toString(36);
  const rules = `falcosecurity/rules/falco-rules-${suffix}`;
  const incubating = `falcosecurity/rules/falco-incubating-rules-${suffix}`;
  const lock = (entries: { name: string; version: string; repository: string }[]) =>
    renderLockFile({
      version: 1,
      rulesets: entries.map((e) => ({
        name: e.name,
        version: e.version,
        file: `rules/upstream/${e.name}.yaml`,
        sha256: sha256Hex(e.name),
        source: { kind: 'oci', reference: `${registry.open}/${e.repository}:${e.version}`, digest: `sha256:${'a'.repeat(64)}` },
      })),
    });
  const writeLock = (text: string) => {
    mkdirSync(join(dir, 'rules/upstream'), { recursive: true });
    writeFileSync(join(dir, 'rules/upstream/upstream.lock.yaml'), text);
  };
  beforeAll(async () => {
    await publishWithTags(rules, ['4.0', '4', '5.1.0', '5.1', '5', 'latest', '5.2.0-rc1', 'v3.0.0']);
    await publishWithTags(incubating, ['4.0.0', '4.0', '4', 'latest']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints current and newest per locked ruleset, and exits 0 even when outdated', async () => {
    writeLock(
      lock([
        { name: 'falco_rules', version: '4.0.0', repository: rules },
        { name: 'falco-incubating_rules', version: '4.0.0', repository: incubating },
      ]),
    );
    const r = await run(['upstream', 'latest', '--plain-http', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      schemaVersion: 1,
      outdated: true,
      rulesets: [
        { name: 'falco-incubating_rules', current: '4.0.0', newest: '4.0.0', updateAvailable: false, repository: `${registry.open}/${incubating}` },
        { name: 'falco_rules', current: '4.0.0', newest: '5.1.0', updateAvailable: true, repository: `${registry.open}/${rules}` },
      ],
    });
    const text = await run(['upstream', 'latest', '--plain-http'], { cwd: dir });
    expect(text.stdout).toBe(
      `falco-incubating_rules  4.0.0 → 4.0.0  up to date  (${registry.open}/${incubating})\n` +
        `falco_rules             4.0.0 → 5.1.0  update available  (${registry.open}/${rules})\n`,
    );
  });

  it('--fail-if-outdated exits 1 only when a named ruleset has a newer release; --prerelease counts release candidates', async () => {
    writeLock(
      lock([
        { name: 'falco_rules', version: '4.0.0', repository: rules },
        { name: 'falco-incubating_rules', version: '4.0.0', repository: incubating },
      ]),
    );
    expect((await run(['upstream', 'latest', 'falco_rules', '--plain-http', '--fail-if-outdated'], { cwd: dir })).code).toBe(1);
    expect((await run(['upstream', 'latest', 'falco-incubating_rules', '--plain-http', '--fail-if-outdated'], { cwd: dir })).code).toBe(0);
    const pre = await run(['upstream', 'latest', 'falco_rules', '--plain-http', '--prerelease', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(pre.stdout).rulesets.map((r: { newest: string }) => r.newest)).toEqual(['5.2.0-rc1']);
  });

  it('--registry-ref looks in another repository, even for a ruleset pinned from a path', async () => {
    writeLock(
      renderLockFile({
        version: 1,
        rulesets: [
          { name: 'falco_rules', version: '5.1.0', file: 'rules/upstream/falco_rules.yaml', sha256: sha256Hex('x'), source: { kind: 'path', path: 'vendor' } },
        ],
      }),
    );
    // Unnamed, a path pin is skipped with a note (the weekly workflow then has nothing to update)…
    const all = await run(['upstream', 'latest', '--plain-http', '--format', 'json'], { cwd: dir });
    expect([all.code, JSON.parse(all.stdout), all.stderr]).toEqual([
      0,
      { schemaVersion: 1, outdated: false, rulesets: [] },
      'note: falco_rules is pinned from a path source; not looked up\n',
    ]);
    // …named, it needs --registry-ref.
    const without = await run(['upstream', 'latest', 'falco_rules', '--plain-http'], { cwd: dir });
    expect(without.code).toBe(2);
    expect(without.stderr).toBe("error: ruleset 'falco_rules' was pinned from a path source, not a registry: pass --registry-ref\n");
    const r = await run(
      [
        'upstream',
        'latest',
        'falco_rules',
        '--plain-http',
        '--registry-ref',
        `oci://${registry.open}/${rules}:4.0.0`,
        '--format',
        'json',
        '--fail-if-outdated',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rulesets).toEqual([
      { name: 'falco_rules', current: '5.1.0', newest: '5.1.0', updateAvailable: false, repository: `${registry.open}/${rules}` },
    ]);
  });

  it('a repository the registry does not have has no release; an unknown ruleset is a usage error', async () => {
    writeLock(lock([{ name: 'falco_rules', version: '4.0.0', repository: `${rules}-missing` }]));
    const r = await run(['upstream', 'latest', '--plain-http', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).rulesets[0]).toMatchObject({ newest: null, updateAvailable: false });
    const unknown = await run(['upstream', 'latest', 'nope', '--plain-http'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("error: ruleset 'nope' is not in rules/upstream/upstream.lock.yaml (locked: falco_rules)\n");
  });
});

describe('the upstream workflow finds the newest release with `upstream latest`', () => {
  const workflow = parse(readFileSync(join(ROOT, '.github/workflows/upstream.yaml'), 'utf8')) as {
    jobs: Record<string, { steps: { id?: string; run?: string }[] }>;
  };
  const step = Object.values(workflow.jobs)[0]!.steps.find((s) => s.id === 'latest');

  it('runs it with --format json instead of listing tags with skopeo', () => {
    expect(step?.run).toContain('upstream latest "$UPSTREAM_RULESET" --format json');
    expect(JSON.stringify(workflow)).not.toContain('skopeo');
  });

  it('reads only keys the JSON output has', () => {
    const read = [...(step?.run ?? '').matchAll(/\.rulesets\[0\]\.(\w+)/g)].map((m) => m[1]);
    expect(read.sort()).toEqual(['newest', 'updateAvailable']);
    const keys = Object.keys({ ...releaseStatus('falco_rules', '4.0.0', '5.1.0'), repository: '' });
    for (const key of read) expect(keys).toContain(key);
  });
});
