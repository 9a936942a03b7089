import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/config/closest-name.js';

/** The definition, without shortcuts: the candidate at least edit distance, first on a tie, if within the limit. */
function closestByDefinition(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  const scored = candidates.map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) }));
  const best = scored.reduce<{ c: string; d: number } | undefined>((b, s) => (b === undefined || s.d < b.d ? s : b), undefined);
  return best !== undefined && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}

describe('closestName', () => {
  it('finds the likely typo, and nothing when no candidate is close', () => {
    expect(closestName('shel_binaries', ['shell_binaries', 'shell_procs'])).toBe('shell_binaries');
    expect(closestName('comp', ['name', 'fields', 'comps', 'values'])).toBe('comps');
    expect(closestName('zzzzzzzz', ['shell_binaries'])).toBeUndefined();
  });

  it('gives what the definition gives, on random names of several alphabets and lengths', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'b', 'c', '_', 'A', 'İ', 'ß', 'é'];
    const word = () => Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let round = 0; round < 2000; round++) {
      const candidates = Array.from({ length: Math.floor(next() * 8) }, word);
      const name = next() < 0.5 && candidates.length > 0 ? candidates[Math.floor(next() * candidates.length)]!.replace(/.$/, 'x') : word();
      expect([name, candidates, closestName(name, candidates)]).toEqual([name, candidates, closestByDefinition(name, candidates)]);
    }
  });
});
