import { describe, expect, it } from 'vitest';
import {
  scanBareString,
  scanFieldArgBare,
  scanFieldName,
  scanHexNumber,
  scanIdentifier,
  scanNotKeyword,
  scanNumber,
  scanQuoted,
  skipBlanks,
} from '../../src/condition/lexer.js';

type Scanner = (text: string, pos: number) => number;

/** [scanner, input, end offset of the match at 0 (-1: no match)] */
const cases: [string, Scanner, string, number][] = [
  ['identifier', scanIdentifier, 'proc_1.name', 6],
  ['identifier needs a leading letter', scanIdentifier, '_x', -1],
  ['identifier', scanIdentifier, '1abc', -1],
  ['field name', scanFieldName, 'proc.name = x', 9],
  ['field name with dot argument', scanFieldName, 'evt.arg.flags', 13],
  ['field segments start with a letter', scanFieldName, 'evt.arg.1', 7],
  ['a bare identifier is no field name', scanFieldName, 'proc name', -1],
  ['field name stops before [', scanFieldName, 'proc.aname[2]', 10],
  ['not + blanks', scanNotKeyword, 'not  x', 5],
  ['not + form feed ([:space:])', scanNotKeyword, 'not\fx', 4],
  ['not without blank', scanNotKeyword, 'not(x)', -1],
  ['not_macro', scanNotKeyword, 'not_macro', -1],
  ['bare string keeps * / : [ ] \\ .', scanBareString, '/usr/*/b[1]:x\\y.z rest', 17],
  ['bare string stops at =', scanBareString, 'a=b', 1],
  ['bare string stops at ,', scanBareString, 'a,b', 1],
  ['bare string stops at (', scanBareString, 'a(b', 1],
  ['bare string stops at quote', scanBareString, "a'b", 1],
  ['bare string keeps \\b', scanBareString, 'a\bb', 3],
  ['bare string stops at \\f', scanBareString, 'a\fb', 1],
  ['field arg bare', scanFieldArgBare, 'a=b,(c)]', 7],
  ['field arg bare stops at [', scanFieldArgBare, 'a[b', 1],
  ['hex number', scanHexNumber, '0x1fZ', 4],
  ['hex needs a digit', scanHexNumber, '0x', -1],
  ['hex digits only', scanHexNumber, '0xg', -1],
  ['number', scanNumber, '-12.5e+3x', 8],
  ['exponent needs a sign', scanNumber, '1e10', 1],
  ['number with trailing dot', scanNumber, '7.', 2],
  ['number needs a digit', scanNumber, '+.5', -1],
];

describe('scanners', () => {
  it.each(cases)('%s: %j', (_name, scan, input, end) => {
    expect(scan(input, 0)).toBe(end);
  });

  it('skips exactly the blanks libsinsp skips (space, \\t, \\b, \\r, \\n)', () => {
    expect(skipBlanks(' \t\b\r\nx', 0)).toBe(5);
    expect(skipBlanks('\fx', 0)).toBe(0);
    expect(skipBlanks('\vx', 0)).toBe(0);
  });
});

describe('quoted strings', () => {
  const ok: [string, string, number][] = [
    ['"a b"', 'a b', 5],
    ["'a b' x", 'a b', 5],
    ['"a\\"b"', 'a"b', 6],
    ["'a\\'b'", "a'b", 6],
    ['"\\b\\f\\n\\r\\t\\\\\\/"', '\b\f\n\r\t\\/', 16],
    ['"C:\\ dir"', 'C:\\dir', 9],
    ['"\\x41\\x7a"', 'Az', 10],
    ['"it\'s"', "it's", 6],
    ['""', '', 2],
  ];
  it.each(ok)('%s reads %j', (input, value, end) => {
    expect(scanQuoted(input, 0)).toEqual({ kind: 'ok', value, end });
  });

  it('does not end at a quote preceded by a backslash', () => {
    expect(scanQuoted('"a\\\\" b', 0)).toEqual({ kind: 'unterminated' });
    expect(scanQuoted('"a\\\\" b"', 0)).toEqual({ kind: 'ok', value: 'a\\" b', end: 8 });
  });

  it('stops at NUL like the C string it is in Falco', () => {
    expect(scanQuoted('"a\0b"', 0)).toEqual({ kind: 'unterminated' });
  });

  const bad: [string, string][] = [
    ["'a\\\"b'", 'invalid \\" escape in \'-quoted string'],
    ['"a\\\'b"', 'invalid \\\' escape in "-quoted string'],
    ['"\\c"', 'unsupported string escape sequence: \\c'],
    ['"\\x4"', 'unsupported string escape sequence: \\x'],
  ];
  it.each(bad)('%s is rejected: %s', (input, message) => {
    expect(scanQuoted(input, 0)).toEqual({ kind: 'bad-escape', end: input.length, message });
  });
});
