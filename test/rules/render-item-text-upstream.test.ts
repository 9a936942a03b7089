import { describe, expect, it } from 'vitest';
import { missingUpstreamHistory, readUpstream, upstreamManifest } from '../helpers/shared.js';
import { expectSameTextAsStringifier } from './render-item-text-support.js';

describe.skipIf(missingUpstreamHistory())('renderItemText over every upstream release', () => {
  it('writes every item it does not decline exactly as the stringifier does, and declines few', () => {
    const { written, declined } = expectSameTextAsStringifier(upstreamManifest().map((entry) => readUpstream(entry.file).text));
    expect(written).toBeGreaterThan(40_000);
    expect(declined / (written + declined)).toBeLessThan(0.01);
  });
});
