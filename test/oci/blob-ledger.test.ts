import { describe, expect, it } from 'vitest';
import { BlobLedger } from '../../src/oci/index.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('BlobLedger', () => {
  it('another repository waits for a pending claim, then learns the holder', async () => {
    const ledger = new BlobLedger();
    const release = ledger.claim('acme/a', ['sha256:1', 'sha256:2']);
    let holder: string | null | undefined;
    void ledger.holderFor('sha256:1', 'acme/b').then((h) => (holder = h));
    await tick();
    expect(holder).toBeUndefined();
    ledger.record('sha256:1', 'acme/a');
    await tick();
    expect(holder).toBe('acme/a');
    release();
    expect(await ledger.holderFor('sha256:2', 'acme/b')).toBeNull();
  });

  it('a failed claim wakes the waiters with no holder, and the next one to push becomes the holder', async () => {
    const ledger = new BlobLedger();
    const release = ledger.claim('acme/a', ['sha256:1']);
    const waiting = ledger.holderFor('sha256:1', 'acme/b');
    release();
    expect(await waiting).toBeNull();
    ledger.record('sha256:1', 'acme/b');
    expect(await ledger.holderFor('sha256:1', 'acme/c')).toBe('acme/b');
  });

  it('the claiming repository never waits for itself, and is never its own holder', async () => {
    const ledger = new BlobLedger();
    ledger.claim('acme/a', ['sha256:1']);
    expect(await ledger.holderFor('sha256:1', 'acme/a')).toBeNull();
    ledger.record('sha256:1', 'acme/a');
    expect(await ledger.holderFor('sha256:1', 'acme/a')).toBeNull();
  });

  it('a blob held or claimed already is not claimed again', async () => {
    const ledger = new BlobLedger();
    ledger.record('sha256:1', 'acme/a');
    ledger.claim('acme/b', ['sha256:1']);
    expect(await ledger.holderFor('sha256:1', 'acme/c')).toBe('acme/a');
    ledger.claim('acme/c', ['sha256:2']);
    const releaseD = ledger.claim('acme/d', ['sha256:2']);
    releaseD();
    let holder: string | null | undefined;
    void ledger.holderFor('sha256:2', 'acme/e').then((h) => (holder = h));
    await tick();
    expect(holder).toBeUndefined();
  });
});
