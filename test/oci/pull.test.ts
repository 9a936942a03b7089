import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { extractLayer, LayoutStore, packArtifact, pullArtifact, writeOciLayout } from '../../src/oci/index.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleInput } from './helpers.js';

type EntryHeader = Partial<tar.Header> & Pick<tar.Header, 'name'>;

async function tarGz(entries: { header: EntryHeader; body?: string }[]): Promise<Uint8Array> {
  const pack = tar.pack();
  for (const e of entries) pack.entry(e.header, e.body ?? '');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

describe('extractLayer refuses hostile archives', () => {
  it.each([
    ['path traversal', { name: '../evil.yaml', size: 1 }, /unsafe archive entry '\.\.\/evil\.yaml': a rulesfile artifact holds top-level files only/],
    [
      'absolute path',
      { name: '/etc/falco/evil.yaml', size: 1 },
      /unsafe archive entry '\/etc\/falco\/evil\.yaml': a rulesfile artifact holds top-level files only/,
    ],
    ['nested path', { name: 'a/b/c.yaml', size: 1 }, /top-level files only/],
    ['dotfile', { name: '.bashrc', size: 1 }, /hidden files/],
    ['dot folder', { name: '.git/config', size: 1 }, /top-level files only/],
    ['control character', { name: 'rules\n.yaml', size: 1 }, /control characters/],
    ['symlink', { name: 'rules.yaml', type: 'symlink' as const, linkname: '/etc/passwd' }, /symlink entries are not allowed/],
    ['hard link', { name: 'rules.yaml', type: 'link' as const, linkname: 'other' }, /link entries are not allowed/],
  ] as [string, EntryHeader, RegExp][])('%s', async (_name, header, message) => {
    const body = header.type ? undefined : 'x';
    await expect(extractLayer(await tarGz([{ header, body }]))).rejects.toThrow(message);
  });

  it('oversized content', async () => {
    const big = 'a'.repeat(4096);
    const layer = await tarGz([{ header: { name: 'rules.yaml', size: big.length }, body: big }]);
    await expect(extractLayer(layer, { maxLayerBytes: 1 << 20, maxExtractedBytes: 1024, maxFiles: 4 })).rejects.toThrow(
      /over the 1024-byte limit|past the 1024-byte limit/,
    );
  });

  it('a gzip bomb stops at the limit', async () => {
    const layer = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    await expect(extractLayer(layer, { maxLayerBytes: 1 << 20, maxExtractedBytes: 1024, maxFiles: 4 })).rejects.toThrow(/expands past the 1024-byte limit/);
  });

  it('a blob whose bytes do not match its digest', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'fg-pull-')), 'oci');
    const a = packArtifact(sampleInput());
    await writeOciLayout(dir, [a]);
    await writeFile(join(dir, 'blobs', 'sha256', a.layer.descriptor.digest.slice(7)), Buffer.from(a.layer.bytes).reverse());
    const r = await pullArtifact(new LayoutStore(dir), '1.7.0');
    expect(r.error?.kind).toBe('digest-mismatch');
    expect(r.error?.message).toContain(`expected ${a.layer.descriptor.digest}`);
    expect(r.files).toEqual([]);
  });

  it('a good artifact extracts its rules file', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'fg-pull-')), 'oci');
    await writeOciLayout(dir, [packArtifact(sampleInput())]);
    const r = await pullArtifact(new LayoutStore(dir), '1.7.0');
    expect(r.error).toBeNull();
    expect(r.files.map((f) => [f.name, Buffer.from(f.bytes).toString()])).toEqual([
      ['falco-rules-production.yaml', Buffer.from(sampleInput().rulesFile).toString()],
    ]);
    expect(r.config?.name).toBe('falco-rules-production');
  });
});
