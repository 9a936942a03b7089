import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePathPrefixes } from '../../src/evaluate/glob.js';

/** pmatch by definition: the prefix's non-empty components begin the path's. */
function byComponents(prefixes: readonly string[], path: string): boolean {
  const parts = path.split('/').filter((c) => c !== '');
  return prefixes.some((p) => {
    const pre = p.split('/').filter((c) => c !== '');
    return pre.length <= parts.length && pre.every((c, i) => c === parts[i]);
  });
}

describe('pmatch path prefixes', () => {
  const path = fc.array(fc.constantFrom('/', 'etc', 'e', 'tc', 'usr', 'lib', 'x'), { maxLength: 8 }).map((xs) => xs.join(''));

  it('agree with a component-by-component comparison on any path, clean or not', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 4 }), path, (prefixes, p) => {
        expect(compilePathPrefixes(prefixes)(p)).toBe(byComponents(prefixes, p));
      }),
      { numRuns: 3000 },
    );
  });

  it('match at a component boundary only', () => {
    const match = compilePathPrefixes(['/etc', '/usr/lib/', '//var//log']);
    expect(['/etc', '/etc/', '/etc/passwd', '//etc//passwd', 'etc/x', '/usr/lib', '/var/log/a'].map(match)).toEqual([true, true, true, true, true, true, true]);
    expect(['/etcx', '/et', '/usr/libexec', '/', '', '/var'].map(match)).toEqual([false, false, false, false, false, false]);
    expect(compilePathPrefixes(['/'])('/anything')).toBe(true);
  });
});
