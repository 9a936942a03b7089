import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareStrings } from '../../src/config/compare-paths.js';

describe('compareStrings', () => {
  it('orders exactly as UTF-8 bytes, including characters above U+FFFF', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        expect(Math.sign(compareStrings(a, b))).toBe(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('puts an astral character after U+FFFD, where UTF-16 order would not', () => {
    expect(compareStrings('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
    expect(['b', 'a', 'ab', ''].sort(compareStrings)).toEqual(['', 'a', 'ab', 'b']);
  });
});
