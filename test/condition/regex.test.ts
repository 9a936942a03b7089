import { describe, expect, it } from 'vitest';
import { compileRegex } from '../../src/condition/index.js';

const matches = (pattern: string, value: string) => {
  const re = compileRegex(pattern);
  if (!re.ok) throw new Error(re.message);
  return re.test(value);
};

describe('regex as libs compiles it (RE2::POSIX, anchored at both ends)', () => {
  it('matches the whole value', () => {
    expect(matches('a+', 'aaa')).toBe(true);
    expect(matches('a+', 'aab')).toBe(false);
    expect(matches('.*passwd', '/etc/passwd')).toBe(true);
    expect(matches('(x|xy)', 'xy')).toBe(true);
  });

  it('keeps RE2 POSIX behaviour around newlines: negated classes match one, ^ and $ are line anchors', () => {
    expect(matches('a[^b]c', 'a\nc')).toBe(true);
    expect(matches('a.c', 'a\nc')).toBe(false);
    expect(matches('x\n^a$', 'x\na')).toBe(true);
  });

  it.each([
    ['(?i)abc', 'no argument for repetition operator: ?'],
    ['\\d', 'invalid escape sequence: \\d'],
    ['\\bx', 'invalid escape sequence: \\b'],
    ['a{1001}', 'invalid repetition size: {1001}'],
    ['[a', 'missing ]: [a'],
    ['a\\', 'trailing \\'],
    ['[z-a]', 'invalid character class range: z-a'],
  ])('refuses %j as RE2 does, in its words', (pattern, error) => {
    expect(compileRegex(pattern)).toEqual({ ok: false, message: `invalid regex pattern: ${error}` });
  });
});
