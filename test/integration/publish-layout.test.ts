import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packArtifact, writeOciLayout, type ArtifactInput } from '../../src/oci/index.js';
import { run } from '../helpers/cli.js';
import { sampleInput } from '../oci/helpers.js';

const staging = (over: Partial<ArtifactInput> = {}) =>
  sampleInput({
    environment: 'staging',
    repository: 'ghcr.io/acme/falco-rules-staging',
    rulesFileName: 'falco-rules-staging.yaml',
    version: '1.8.0-rc.1',
    ...over,
  });

async function buildLayout(dir: string, inputs: ArtifactInput[]): Promise<void> {
  await writeOciLayout(join(dir, 'out', 'oci'), inputs.map(packArtifact));
}

async function refNames(layout: string): Promise<string[]> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  return index.manifests.map((m) => `${m.annotations['org.opencontainers.image.ref.name']}=${m.digest.slice(7, 15)}`).sort();
}

describe('publish --to oci:DIR', () => {
  it('writes one OCI layout per artifact with the version and floating tags; skopeo reads them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fg-to-oci-'));
    await buildLayout(dir, [sampleInput(), staging()]);
    const r = await run(['publish', '--to', 'oci:release', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const prod = packArtifact(sampleInput());
    const short = prod.manifest.descriptor.digest.slice(7, 15);
    expect(await refNames(join(dir, 'release', 'falco-rules-production'))).toEqual([`1.7.0=${short}`, `1.7=${short}`, `1=${short}`, `latest=${short}`].sort());
    expect(await refNames(join(dir, 'release', 'falco-rules-staging'))).toEqual([
      `1.8.0-rc.1=${packArtifact(staging()).manifest.descriptor.digest.slice(7, 15)}`,
    ]);
    const raw = execFileSync('skopeo', ['inspect', '--raw', `oci:${join(dir, 'release', 'falco-rules-production')}:1`]);
    expect(Buffer.compare(raw, Buffer.from(prod.manifest.bytes))).toBe(0);
    const pulled = await mkdtemp(join(tmpdir(), 'fg-to-oci-copy-'));
    execFileSync('skopeo', ['copy', `oci:${join(dir, 'release', 'falco-rules-production')}:latest`, `oci:${pulled}:copied`]);
    const layer = await readFile(join(pulled, 'blobs', 'sha256', prod.layer.descriptor.digest.slice(7)));
    expect(Buffer.compare(layer, Buffer.from(prod.layer.bytes))).toBe(0);
  });

  it('re-publishing changes nothing; a newer patch moves the floating tags; a changed version is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fg-to-oci-'));
    await buildLayout(dir, [sampleInput()]);
    expect((await run(['publish', '--to', 'oci:release'], { cwd: dir })).code).toBe(0);
    const again = await run(['publish', '--to', 'oci:release', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(again.stdout).artifacts[0];
    expect(report.blobs.map((b: { outcome: string }) => b.outcome)).toEqual(['present', 'present']);
    expect(report.tags.map((t: { action: string }) => t.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);

    await buildLayout(dir, [sampleInput({ version: '1.7.1' })]);
    const patch = await run(['publish', '--to', 'oci:release', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(patch.stdout).artifacts[0].tags.map((t: { tag: string; action: string }) => `${t.tag}:${t.action}`)).toEqual([
      '1.7.1:created',
      '1.7:moved',
      '1:moved',
      'latest:moved',
    ]);
    const old = packArtifact(sampleInput()).manifest.descriptor.digest.slice(7, 15);
    const fresh = packArtifact(sampleInput({ version: '1.7.1' })).manifest.descriptor.digest.slice(7, 15);
    expect(await refNames(join(dir, 'release', 'falco-rules-production'))).toEqual(
      [`1.7.0=${old}`, `1.7.1=${fresh}`, `1.7=${fresh}`, `1=${fresh}`, `latest=${fresh}`].sort(),
    );

    await buildLayout(dir, [sampleInput({ version: '1.7.1', rulesFile: Buffer.from('- list: x\n  items: []\n') })]);
    const refused = await run(['publish', '--to', 'oci:release'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/release\/falco-rules-production:1\.7\.1 already points at sha256:[a-f0-9]{64}; versions are immutable/);
  });

  it('a target that cannot become a layout is a clean error naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fg-to-oci-'));
    await buildLayout(dir, [sampleInput()]);
    await writeFile(join(dir, 'blocker'), 'a file, not a directory');
    const r = await run(['publish', '--to', 'oci:blocker', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).artifacts[0].error.message).toMatch(
      new RegExp(`^cannot create the OCI layout ${join(dir, 'blocker', 'falco-rules-production')}: `),
    );
  });

  it.each([
    [['--to', 'release'], /--to must be oci:DIR, not 'release'/],
    [['--to', 'oci:release', '--backend', 'oras'], /cannot be combined with --backend oras or --index/],
  ])('usage errors: %s', async (args, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'fg-to-oci-'));
    await buildLayout(dir, [sampleInput()]);
    const r = await run(['publish', ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
