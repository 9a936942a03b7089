import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { ArtifactInput } from '../../src/oci/index.js';
import { sampleInput } from '../oci/helpers.js';
import { captureIO, layoutWith, registry, skopeo, uniqueSuffix, withRegistry } from './publish-helpers.js';
import { peakInFlight, startFaultProxy } from './servers.js';

/**
 * Eight artifacts under one namespace: four on their own, a pair with identical content in two
 * repositories (one uploads, the other mounts), and a pair in one repository where the one published
 * second (by environment order) is the older version, so its floating tags must be held.
 */
function eightArtifacts(namespace: string): ArtifactInput[] {
  const repo = (path: string) => `ghcr.io/acme/${namespace}/${path}`;
  const own = (i: number): ArtifactInput =>
    sampleInput({ environment: `env-${i}`, repository: repo(`rules-${i}`), version: `1.${i}.0`, rulesFile: Buffer.from(`- list: l${i}\n  items: [a${i}]\n`) });
  const mirror = sampleInput({ rulesFileName: 'falco-rules.yaml', rulesFile: Buffer.from('- list: mirrored\n  items: [m]\n') });
  return [
    own(3),
    { ...sampleInput({ version: '1.3.0', rulesFile: Buffer.from('- list: newer\n  items: [n]\n') }), environment: 'shared-a', repository: repo('shared') },
    own(1),
    { ...mirror, environment: 'mirror-a', repository: repo('mirror/falco-rules') },
    { ...sampleInput({ version: '1.2.5', rulesFile: Buffer.from('- list: older\n  items: [o]\n') }), environment: 'shared-b', repository: repo('shared') },
    own(0),
    { ...mirror, environment: 'mirror-b', repository: repo('mirror-copy/falco-rules') },
    own(2),
  ];
}

withRegistry('publish with bounded concurrency', () => {
  async function publishAt(concurrency: number) {
    const namespace = `conc-${uniqueSuffix()}`;
    const dir = await layoutWith(eightArtifacts(namespace));
    const proxy = await startFaultProxy(registry.open);
    // slow manifest PUTs make overlapping publishes visible in the proxy's timeline
    proxy.rules.push({ method: 'PUT', path: /manifests\/sha256:/, fault: { kind: 'slow', delayMs: 150 }, times: 99 });
    try {
      const io = captureIO(dir);
      const code = await runCli(['publish', '--registry', proxy.address, '--concurrency', String(concurrency), '--format', 'json'], io);
      const normalise = (text: string) => text.replaceAll(proxy.address, '<registry>').replaceAll(namespace, '<ns>');
      return {
        code,
        namespace,
        json: JSON.parse(normalise(io.out.join(''))) as {
          artifacts: { environment: string; digest: string; blobs: { outcome: string }[]; tags: unknown[]; error: unknown }[];
        },
        progress: normalise(io.err.join('')),
        peakManifests: peakInFlight(proxy.timeline, /^PUT \/v2\/.*\/manifests\/sha256:/),
      };
    } finally {
      await proxy.close();
    }
  }

  it('8 artifacts at concurrency 4 give the digests, blobs, tags and output of concurrency 1, at most 4 at once', async () => {
    const one = await publishAt(1);
    const four = await publishAt(4);
    expect([one.code, four.code]).toEqual([0, 0]);
    expect(one.peakManifests).toBe(1);
    expect(four.peakManifests).toBeGreaterThanOrEqual(2);
    expect(four.peakManifests).toBeLessThanOrEqual(4);
    expect(four.json).toEqual(one.json);
    expect(four.progress).toBe(one.progress);

    const artifacts = four.json.artifacts;
    expect(artifacts.map((a) => a.environment)).toEqual(['env-0', 'env-1', 'env-2', 'env-3', 'mirror-a', 'mirror-b', 'shared-a', 'shared-b']);
    expect(artifacts.every((a) => a.error === null)).toBe(true);
    expect(artifacts.find((a) => a.environment === 'mirror-a')!.blobs.map((b) => b.outcome)).toEqual(['uploaded', 'uploaded']);
    expect(artifacts.find((a) => a.environment === 'mirror-b')!.blobs.map((b) => b.outcome)).toEqual(['mounted', 'mounted']);
    expect(artifacts.find((a) => a.environment === 'shared-b')!.tags).toEqual([
      { tag: '1.2.5', action: 'created' },
      { tag: '1.2', action: 'created' },
      { tag: '1', action: 'held', by: '1.3.0' },
      { tag: 'latest', action: 'held', by: '1.3.0' },
    ]);
    const lines = four.progress.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(':')))).toEqual(artifacts.flatMap((a) => [a.environment, a.environment]));

    const repo = (path: string) => `docker://${registry.open}/acme/${four.namespace}/${path}`;
    const tags = (path: string) => (JSON.parse(skopeo(['list-tags', '--tls-verify=false', repo(path)])).Tags as string[]).sort();
    expect(tags('shared')).toEqual(['1', '1.2', '1.2.5', '1.3', '1.3.0', 'latest']);
    expect(JSON.parse(skopeo(['inspect', '--tls-verify=false', '--raw', `${repo('shared')}:latest`])).annotations['org.opencontainers.image.version']).toBe(
      '1.3.0',
    );
    for (const i of [0, 1, 2, 3]) expect(tags(`rules-${i}`)).toEqual(['1', `1.${i}`, `1.${i}.0`, 'latest']);
    expect(tags('mirror-copy/falco-rules')).toEqual(['1', '1.7', '1.7.0', 'latest']);
  });

  it('when the artifact uploading a shared blob fails, the one waiting to mount it uploads it itself', async () => {
    const suffix = uniqueSuffix();
    const base = sampleInput({ rulesFileName: 'falco-rules.yaml' });
    const first = `acme/first-${suffix}/falco-rules`;
    const second = `acme/second-${suffix}/falco-rules`;
    const dir = await layoutWith([
      { ...base, environment: 'a-first', repository: `ghcr.io/${first}` },
      { ...base, environment: 'b-second', repository: `ghcr.io/${second}` },
    ]);
    const proxy = await startFaultProxy(registry.open);
    proxy.rules.push({ method: 'PUT', path: new RegExp(`^/v2/${first}/blobs/uploads/`), fault: { kind: 'status', status: 503 }, times: 99 });
    try {
      const io = captureIO(dir);
      expect(await runCli(['publish', '--registry', proxy.address, '--concurrency', '2', '--format', 'json'], io)).toBe(1);
      const [a, b] = JSON.parse(io.out.join('')).artifacts as {
        environment: string;
        tags: unknown[];
        blobs: { outcome: string }[];
        error: Record<string, unknown> | null;
      }[];
      expect(a!.error).toMatchObject({ kind: 'request', method: 'PUT', status: 503 });
      expect(a!.tags).toEqual([]);
      expect(b!.error).toBeNull();
      expect(b!.blobs.map((x) => x.outcome)).toEqual(['uploaded', 'uploaded']);
      expect(proxy.log.filter((l) => l.startsWith(`PUT /v2/${first}/manifests/`))).toEqual([]);
    } finally {
      await proxy.close();
    }
    const list = (repo: string) =>
      execFileSync('skopeo', ['list-tags', '--tls-verify=false', `docker://${registry.open}/${repo}`], { encoding: 'utf8', stdio: 'pipe' });
    expect((JSON.parse(list(second)).Tags as string[]).sort()).toEqual(['1', '1.7', '1.7.0', 'latest']);
    expect(() => list(first)).toThrow(/404 \(Not Found\)/);
  });

  it('--concurrency takes a whole number from 1 to 32', async () => {
    const dir = await layoutWith([sampleInput()]);
    for (const bad of ['0', '33', '2.5', 'four']) {
      const io = captureIO(dir);
      expect(await runCli(['publish', '--registry', registry.open, '--concurrency', bad], io)).toBe(2);
      expect(io.err.join('')).toBe(`error: --concurrency must be a whole number from 1 to 32, not '${bad}'\n`);
    }
  });
});
