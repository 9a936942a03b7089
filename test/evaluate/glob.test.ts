import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, compilePathPrefixes } from '../../src/evaluate/glob.js';

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

/** fnmatch(3) without flags, by its recursive definition (exponential, fine on short inputs). */
function fnmatch(p: string, v: string): boolean {
  if (p === '') return v === '';
  const c = p[0]!;
  if (c === '*') return fnmatch(p.slice(1), v) || (v !== '' && fnmatch(p, v.slice(1)));
  if (v === '') return false;
  if (c === '?') return fnmatch(p.slice(1), v.slice(1));
  if (c === '\\' && p.length > 1) return p[1] === v[0] && fnmatch(p.slice(2), v.slice(1));
  if (c === '[') {
    let j = 1;
    const negate = p[j] === '!' || p[j] === '^';
    if (negate) j++;
    const close = p.indexOf(']', p[j] === ']' ? j + 1 : j);
    if (close >= 0) {
      const body = p.slice(j, close);
      let inside = false;
      for (let k = 0; k < body.length; k++) {
        if (body[k + 1] === '-' && k + 2 < body.length) {
          inside ||= v[0]! >= body[k]! && v[0]! <= body[k + 2]!;
          k += 2;
        } else inside ||= v[0] === body[k];
      }
      return inside !== negate && fnmatch(p.slice(close + 1), v.slice(1));
    }
  }
  return c === v[0] && fnmatch(p.slice(1), v.slice(1));
}

describe('glob', () => {
  const unit = fc.constantFrom('a', 'b', '/', '.', '*', '?', '[', ']', '!', '-', '\\');
  it('agrees with the recursive definition of fnmatch', () => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 7 }), fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '-', '[', ']'), maxLength: 7 }), (p, v) => {
        expect(compileGlob(p, false)(v)).toBe(fnmatch(p, v));
      }),
      { numRuns: 20_000 },
    );
  });

  it('iglob folds ASCII letters only, in classes too', () => {
    expect(compileGlob('*.EXE', true)('SETUP.exe')).toBe(true);
    expect(compileGlob('[a-c]x', true)('Bx')).toBe(true);
    expect(compileGlob('[A-C]x', true)('bX')).toBe(true);
    expect(compileGlob('é', true)('É')).toBe(false);
    expect(compileGlob('*.EXE', false)('SETUP.exe')).toBe(false);
  });

  it('* and ? cross path separators; a reversed range matches nothing', () => {
    expect(compileGlob('/usr/*', false)('/usr/local/bin/x')).toBe(true);
    expect(compileGlob('/a?b', false)('/a/b')).toBe(true);
    expect(compileGlob('[z-a]', false)('m')).toBe(false);
  });
});
