import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractLayer, packArtifact, sha256Digest, writeOciLayout } from '../../src/oci/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';
import { sampleInput } from './helpers.js';

describe('packArtifact', () => {
  it('writes the config falcoctl reads: name, version, dependencies, requirements', () => {
    const a = packArtifact(sampleInput());
    expect(JSON.parse(Buffer.from(a.config.bytes).toString())).toEqual({
      name: 'falco-rules-production',
      version: '1.7.0',
      dependencies: [{ name: 'k8saudit', version: '0.7.0', alternatives: [{ name: 'k8saudit-eks', version: '0.4.0' }] }],
      requirements: [{ name: 'engine_version_semver', version: '0.26.0' }],
    });
    expect(a.config.descriptor.mediaType).toBe('application/vnd.cncf.falco.rulesfile.config.v1+json');
    expect(a.config.descriptor.annotations).toBeUndefined();
  });

  it('omits empty dependencies and requirements, as falcoctl does', () => {
    const a = packArtifact(sampleInput({ requiredEngineVersion: null, requiredPluginVersions: [] }));
    expect(Buffer.from(a.config.bytes).toString()).toBe('{"name":"falco-rules-production","version":"1.7.0"}');
  });

  it('has one layer with the title annotation and the manifest annotations', () => {
    const a = packArtifact(sampleInput());
    const m = JSON.parse(Buffer.from(a.manifest.bytes).toString());
    expect(m.schemaVersion).toBe(2);
    expect(m.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(m.layers).toHaveLength(1);
    expect(m.layers[0].mediaType).toBe('application/vnd.cncf.falco.rulesfile.layer.v1+tar.gz');
    expect(m.layers[0].annotations).toEqual({ 'org.opencontainers.image.title': 'falco-rules-production.yaml.tar.gz' });
    expect(m.annotations).toEqual({
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.source': 'https://github.com/acme/rules',
      'org.opencontainers.image.version': '1.7.0',
    });
    expect(a.manifest.descriptor.digest).toBe(sha256Digest(a.manifest.bytes));
  });

  it.skipIf(missingUpstream('falco_rules/rules-5.1.0.yaml'))(
    'the layer holds the rules file byte for byte, with fixed metadata and no gzip timestamp',
    async () => {
      const rules = Buffer.from(readUpstream('falco_rules/rules-5.1.0.yaml').text);
      const a = packArtifact(sampleInput({ rulesFile: rules }));
      const gz = Buffer.from(a.layer.bytes);
      expect([...gz.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
      expect(gz[9]).toBe(3);
      const tarBytes = gunzipSync(gz);
      expect(tarBytes.subarray(100, 107).toString()).toBe('0000644');
      expect(tarBytes.subarray(136, 147).toString()).toBe('00000000000');
      const files = await extractLayer(a.layer.bytes);
      expect(files.map((f) => f.name)).toEqual(['falco-rules-production.yaml']);
      expect(Buffer.compare(Buffer.from(files[0]!.bytes), rules)).toBe(0);
    },
  );

  it('refuses a rules file name that is not a plain name', () => {
    expect(() => packArtifact(sampleInput({ rulesFileName: '../x.yaml' }))).toThrow(/plain file name/);
  });

  it('two layouts written in different temp dirs are byte-identical', async () => {
    const inputs = [
      sampleInput(),
      sampleInput({ environment: 'staging', repository: 'ghcr.io/acme/falco-rules-staging', rulesFileName: 'falco-rules-staging.yaml' }),
    ];
    const dirs: string[] = [];
    for (const order of [inputs, [...inputs].reverse()]) {
      const dir = join(await mkdtemp(join(tmpdir(), 'fg-layout-')), 'oci');
      await writeOciLayout(dir, order.map(packArtifact));
      dirs.push(dir);
    }
    const [a, b] = dirs as [string, string];
    expect(await readFile(join(a, 'index.json'), 'utf8')).toBe(await readFile(join(b, 'index.json'), 'utf8'));
    expect((await readdir(join(a, 'blobs', 'sha256'))).sort()).toEqual((await readdir(join(b, 'blobs', 'sha256'))).sort());
    const index = JSON.parse(await readFile(join(a, 'index.json'), 'utf8'));
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['io.falcogitops.environment'])).toEqual(['production', 'staging']);
    expect(index.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('1.7.0');
    expect(JSON.parse(await readFile(join(a, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
  });
});
