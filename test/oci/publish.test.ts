import { describe, expect, it } from 'vitest';
import { OciError, packArtifact, publishArtifact, type Descriptor, type Store } from '../../src/oci/index.js';
import { sampleInput } from './helpers.js';

/** An in-memory Store that records every call and fails the ones a test names. */
class MemoryStore implements Store {
  readonly label = 'mem/rules';
  readonly calls: string[] = [];
  readonly blobs = new Map<string, Uint8Array>();
  readonly tags = new Map<string, Descriptor>();

  constructor(private readonly failOn: (call: string) => boolean = () => false) {}

  private record(call: string): void {
    this.calls.push(call);
    if (this.failOn(call)) throw new OciError({ kind: 'request', message: `injected failure of ${call}`, status: 500 });
  }

  async exists(d: Descriptor): Promise<boolean> {
    this.record(`exists ${d.digest}`);
    return this.blobs.has(d.digest);
  }
  async fetch(d: Descriptor): Promise<Uint8Array> {
    this.record(`fetch ${d.digest}`);
    return this.blobs.get(d.digest)!;
  }
  async push(d: Descriptor, bytes: Uint8Array): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    this.record(`push ${d.digest}`);
    this.blobs.set(d.digest, bytes);
  }
  async resolve(ref: string): Promise<Descriptor | null> {
    this.record(`resolve ${ref}`);
    return this.tags.get(ref) ?? null;
  }
  async tag(d: Descriptor, tag: string): Promise<void> {
    this.record(`tag ${tag}`);
    this.tags.set(tag, d);
  }
  async *listTags(): AsyncIterable<string> {
    this.record('listTags');
    yield* this.tags.keys();
  }
}

const artifact = packArtifact(sampleInput());
const { config, layer, manifest } = artifact;

describe('publishArtifact', () => {
  it('a failed layer upload leaves no manifest and no tag, and lets the config upload finish first', async () => {
    const store = new MemoryStore((c) => c === `push ${layer.descriptor.digest}`);
    const report = await publishArtifact(store, artifact);
    expect(report.error?.message).toBe(`injected failure of push ${layer.descriptor.digest}`);
    expect(store.calls).toContain(`push ${config.descriptor.digest}`);
    expect(store.calls.some((c) => c === `push ${manifest.descriptor.digest}` || c.startsWith('tag '))).toBe(false);
    expect(store.tags.size).toBe(0);
  });

  it('a failed floating tag still leaves the version tag and the other floating tags in place, and is reported', async () => {
    const store = new MemoryStore((c) => c === 'tag 1');
    const report = await publishArtifact(store, artifact);
    expect(report.error?.message).toBe('injected failure of tag 1');
    expect([...store.tags.keys()].sort()).toEqual(['1.7', '1.7.0', 'latest']);
    expect(store.calls.indexOf('tag 1.7.0')).toBeLessThan(Math.min(store.calls.indexOf('tag 1.7'), store.calls.indexOf('tag latest')));
    expect(store.calls.indexOf(`push ${manifest.descriptor.digest}`)).toBeLessThan(store.calls.indexOf('tag 1.7.0'));
  });

  it('looks up only the floating tags that already exist; a re-publish pushes and tags nothing', async () => {
    const store = new MemoryStore();
    const older = packArtifact(sampleInput({ version: '1.6.0' })).manifest.descriptor;
    store.tags.set('1.6.0', older);
    store.tags.set('1', older);
    store.tags.set('latest', older);
    const first = await publishArtifact(store, artifact);
    expect(first.tags.map((t) => `${t.tag}:${t.action}`)).toEqual(['1.7.0:created', '1.7:created', '1:moved', 'latest:moved']);
    expect(store.calls.filter((c) => c.startsWith('resolve')).sort()).toEqual(['resolve 1', 'resolve latest']);
    store.calls.length = 0;
    const again = await publishArtifact(store, artifact);
    expect(again.error).toBeNull();
    expect(again.tags.map((t) => t.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(store.calls.filter((c) => c.startsWith('push') || c.startsWith('tag'))).toEqual([]);
  });
});
