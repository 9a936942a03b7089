import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { sampleInput } from '../oci/helpers.js';
import { captureIO, layoutWith, registry, skopeo, uniqueSuffix, withRegistry } from './publish-helpers.js';
import { startFaultProxy, type FaultRule } from './servers.js';

interface Report {
  environment: string;
  target: string;
  digest: string;
  tags: { tag: string; action: string; by?: string }[];
  error: { kind: string; method?: string; url?: string; status?: number; message: string } | null;
}

const tagsOf = (repo: string): string[] => (JSON.parse(skopeo(['list-tags', '--tls-verify=false', `docker://${repo}`])).Tags as string[]).sort();

/** The digest a tag names, from the manifest bytes skopeo reads (an independent client). */
function digestOf(repo: string, tag: string): string {
  const raw = execFileSync('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${repo}:${tag}`]);
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** Every tag of every registry, tag -> digest. */
function tagMap(repos: string[]): Record<string, string>[] {
  return repos.map((repo) => Object.fromEntries(tagsOf(repo).map((t) => [t, digestOf(repo, t)])));
}

/**
 * The consistency rule: every floating tag on every registry names a digest that every registry
 * holds under a version tag.
 */
function expectConsistent(repos: string[]): void {
  const maps = tagMap(repos);
  const versionDigests = maps.map(
    (m) =>
      new Set(
        Object.entries(m)
          .filter(([t]) => /^\d+\.\d+\.\d+$/.test(t))
          .map(([, d]) => d),
      ),
  );
  const everywhere = [...versionDigests[0]!].filter((d) => versionDigests.every((s) => s.has(d)));
  for (const m of maps) for (const [tag, digest] of Object.entries(m)) if (!/^\d+\.\d+\.\d+$/.test(tag)) expect(everywhere).toContain(digest);
}

withRegistry('publish to several registries at once', () => {
  const pathOf = () => `acme/rules-${uniqueSuffix()}`;

  async function publish(dir: string, registries: string[], timeoutMs = 2000) {
    const io = captureIO(dir);
    const args = ['publish', '--format', 'json', '--timeout', String(timeoutMs), ...registries.flatMap((r) => ['--registry', r])];
    const code = await runCli(args, io);
    return { code, io, artifacts: JSON.parse(io.out.join('')).artifacts as Report[] };
  }

  it('configured registries (layout mirrors) get the same digest and the same tags', async () => {
    const path = pathOf();
    const repos = [`${registry.open}/${path}`, `${registry.mirror}/${path}`];
    const dir = await layoutWith([sampleInput({ repository: repos[0]!, mirrors: [repos[1]!] })]);
    const io = captureIO(dir);
    expect(await runCli(['publish'], io)).toBe(0);
    const table = io.out.join('');
    for (const repo of repos) expect(table).toContain(`${repo}:1.7.0`);
    const [a, b] = tagMap(repos);
    expect(Object.keys(a!)).toEqual(['1', '1.7', '1.7.0', 'latest']);
    expect(b).toEqual(a);
    expect(new Set(Object.values(a!)).size).toBe(1);
  });

  it('--registry twice: one report per registry, and a second publish changes nothing', async () => {
    const path = pathOf();
    const dir = await layoutWith([sampleInput({ repository: `ghcr.io/${path}` })]);
    const first = await publish(dir, [registry.open, registry.mirror]);
    expect(first.code).toBe(0);
    expect(first.artifacts.map((a) => a.target)).toEqual([`${registry.open}/${path}:1.7.0`, `${registry.mirror}/${path}:1.7.0`]);
    expect(first.artifacts[0]!.digest).toBe(first.artifacts[1]!.digest);
    const again = await publish(dir, [registry.open, registry.mirror]);
    expect(again.code).toBe(0);
    for (const a of again.artifacts)
      expect(a.tags.map((t) => `${t.tag}:${t.action}`)).toEqual(['1.7.0:unchanged', '1.7:unchanged', '1:unchanged', 'latest:unchanged']);
  });

  it('a registry failing its manifest put moves no floating tag anywhere, names the request, and a re-run converges', async () => {
    const path = pathOf();
    const repos = [`${registry.open}/${path}`, `${registry.mirror}/${path}`];
    const old = await layoutWith([sampleInput({ repository: `ghcr.io/${path}` })]);
    expect((await publish(old, [registry.open, registry.mirror])).code).toBe(0);
    const oldDigest = digestOf(repos[0]!, '1.7.0');

    const proxy = await startFaultProxy(registry.mirror);
    const rule: FaultRule = { method: 'PUT', path: new RegExp(`^/v2/${path}/manifests/sha256:`), fault: { kind: 'status', status: 500 }, times: 99 };
    proxy.rules.push(rule);
    const next = await layoutWith([
      sampleInput({ repository: `ghcr.io/${path}`, version: '1.8.0', rulesFile: Buffer.from('- list: shells\n  items: [bash]\n') }),
    ]);
    const failed = await publish(next, [registry.open, proxy.address]);
    expect(failed.code).toBe(1);
    const [good, bad] = failed.artifacts;
    expect(bad!.error).toMatchObject({ kind: 'request', method: 'PUT', status: 500 });
    expect(bad!.error!.url).toMatch(/\/manifests\/sha256:/);
    expect(good!.error).toBeNull();
    expect(good!.tags).toEqual([
      { tag: '1.8.0', action: 'created' },
      { tag: '1.8', action: 'pending', by: `${proxy.address}/${path}` },
      { tag: '1', action: 'pending', by: `${proxy.address}/${path}` },
      { tag: 'latest', action: 'pending', by: `${proxy.address}/${path}` },
    ]);
    // the healthy registry has the new version but its floating tags still name the old one
    expect(tagsOf(repos[0]!)).toEqual(['1', '1.7', '1.7.0', '1.8.0', 'latest']);
    expect(digestOf(repos[0]!, 'latest')).toBe(oldDigest);
    expect(digestOf(repos[0]!, '1')).toBe(oldDigest);
    expect(tagsOf(repos[1]!)).toEqual(['1', '1.7', '1.7.0', 'latest']);
    expectConsistent(repos);
    // the table says the same: the healthy registry has the version only, the other failed
    const text = captureIO(next);
    expect(await runCli(['publish', '--timeout', '2000', '--registry', registry.open, '--registry', proxy.address], text)).toBe(1);
    const [, healthyRow, failedRow] = text.out.join('').split('\n');
    expect(healthyRow).toContain(
      `1.8.0 (unchanged), 1.8 (pending), 1 (pending), latest (pending)  version only: floating tags wait until ${proxy.address}/${path} has 1.8.0`,
    );
    expect(failedRow).toMatch(/FAILED: PUT http:\/\/127\.0\.0\.1:\d+\/v2\/.*\/manifests\/sha256:[0-9a-f]{64} -> 500/);
    expectConsistent(repos);

    rule.times = 0;
    const rerun = await publish(next, [registry.open, proxy.address]);
    await proxy.close();
    expect(rerun.code).toBe(0);
    expect(rerun.artifacts[0]!.tags[0]).toEqual({ tag: '1.8.0', action: 'unchanged' });
    const [a, b] = tagMap(repos);
    expect(b).toEqual(a);
    expect(a!.latest).toBe(rerun.artifacts[0]!.digest);
    expect(a!['1.7']).toBe(oldDigest);
  });

  it('a registry failing a floating tag (connection resets) leaves every tag on a version both have; a re-run converges', async () => {
    const path = pathOf();
    const repos = [`${registry.open}/${path}`, `${registry.mirror}/${path}`];
    expect((await publish(await layoutWith([sampleInput({ repository: `ghcr.io/${path}` })]), [registry.open, registry.mirror])).code).toBe(0);
    const proxy = await startFaultProxy(registry.mirror);
    const rule: FaultRule = { method: 'PUT', path: new RegExp(`^/v2/${path}/manifests/latest$`), fault: { kind: 'reset-mid-upload' }, times: 99 };
    proxy.rules.push(rule);
    const next = await layoutWith([
      sampleInput({ repository: `ghcr.io/${path}`, version: '1.8.0', rulesFile: Buffer.from('- list: shells\n  items: [zsh]\n') }),
    ]);
    const failed = await publish(next, [registry.open, proxy.address]);
    expect(failed.code).toBe(1);
    expect(failed.artifacts[1]!.error).toMatchObject({ method: 'PUT' });
    expect(failed.artifacts[1]!.error!.url).toMatch(/\/manifests\/latest$/);
    expect(tagsOf(repos[1]!)).toContain('1.8.0');
    expectConsistent(repos);

    rule.times = 0;
    const rerun = await publish(next, [registry.open, proxy.address]);
    await proxy.close();
    expect(rerun.code).toBe(0);
    const [a, b] = tagMap(repos);
    expect(b).toEqual(a);
    expect(a!.latest).toBe(rerun.artifacts[0]!.digest);
  });
});
