import { describe, expect, it } from 'vitest';
import { parseCondition, printCanonical, withoutSpans, type Expr } from '../../src/condition/index.js';

function parseOk(text: string): Expr {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message} at ${result.error.offset}`);
  return result.expr;
}

/** [input, canonical form of what it parses to] */
const accepted: [string, string][] = [
  ['fd.name exists', 'fd.name exists'],
  ['proc.pid<=1', 'proc.pid <= 1'],
  ['proc.pid < 1', 'proc.pid < 1'],
  ['proc.pid >= 0x1F', 'proc.pid >= 0x1F'],
  ['proc.pid>-2.5e+3', 'proc.pid > -2.5e+3'],
  ['a.b == x', 'a.b == x'],
  ['a.b =value', 'a.b = value'],
  ['a.b != x', 'a.b != x'],
  ['a.b glob /tmp/*', 'a.b glob /tmp/*'],
  ['a.b iglob *.SH', 'a.b iglob *.SH'],
  ['a.b contains x', 'a.b contains x'],
  ['a.b icontains x', 'a.b icontains x'],
  ['a.b bcontains 2f657463', 'a.b bcontains 2f657463'],
  ['a.b startswith /etc', 'a.b startswith /etc'],
  ['a.b bstartswith 2f', 'a.b bstartswith 2f'],
  ['a.b endswith .so', 'a.b endswith .so'],
  ['a.b regex "^a.*$"', 'a.b regex ^a.*$'],
  ['a.b in (x, "y z", \'w\')', 'a.b in (x, "y z", w)'],
  ['a.b intersects (x)', 'a.b intersects (x)'],
  ['a.b pmatch (/tmp, /var)', 'a.b pmatch (/tmp, /var)'],
  ['a.b in ()', 'a.b in ()'],
  ['a.b in ( )', 'a.b in ()'],
  ['proc.name in(a)', 'proc.name in (a)'],
  ['proc.name inx', 'proc.name in x'],
  ['a.b in my_list', 'a.b in my_list'],
  ['x.y existsand m', '(x.y exists and m)'],
  ['proc.aname[2] = sshd', 'proc.aname[2] = sshd'],
  ['evt.arg.flags contains O_CREAT', 'evt.arg.flags contains O_CREAT'],
  ['evt.arg["key with space"] = value', 'evt.arg["key with space"] = value'],
  ["evt.arg['k'] = v", 'evt.arg[k] = v'],
  ['evt.arg[""] = v', 'evt.arg[""] = v'],
  ['a.b = "a\\ b"', 'a.b = "a\\\\b"'],
  ['a.b = C:\\dir', 'a.b = "C:\\\\dir"'],
  ['a.b = "x=y"', 'a.b = "x=y"'],
  ['a.b = ""', 'a.b = '],
  ['a.b = proc.pname', 'a.b = proc.pname'],
  ['a.b = tolower(proc.pname)', 'a.b = tolower(proc.pname)'],
  ['a.b = val(proc.pname)', 'a.b = val(proc.pname)'],
  ['a.b = val( proc.aname[1] )', 'a.b = val(proc.aname[1])'],
  ['a.b > len(proc.args)', 'a.b > len(proc.args)'],
  ['a.b in val(c.d)', 'a.b in val(c.d)'],
  ['toupper( b64(a.b) ) = X', 'toupper(b64(a.b)) = X'],
  ['basename(proc.exepath) = bash', 'basename(proc.exepath) = bash'],
  ['join("-", (fd.name, fd.directory)) = /tmp/test', 'join(-,(fd.name,fd.directory)) = /tmp/test'],
  ['join(",", ( )) = x', 'join(,,()) = x'],
  ['concat(proc.name, "-", 12, 0x1f) = a', 'concat(proc.name,-,12,0x1f) = a'],
  ['getopt(proc.args, "nt:")["t"] = value', 'getopt(proc.args,nt:)[t] = value'],
  ['tolower(proc.name)[x] = y', 'tolower(proc.name)[x] = y'],
  ['proc.name startswith oneof (a, b)', 'proc.name startswith oneof (a, b)'],
  ['proc.name = anyof (a)', 'proc.name = anyof (a)'],
  ['proc.name != allof (a, b)', 'proc.name != allof (a, b)'],
  ['proc.name contains oneof my_list', 'proc.name contains oneof my_list'],
  ['proc.name = oneof', 'proc.name = oneof'],
  ['proc.name = oneof and x', '(proc.name = oneof and x)'],
  ['proc.name =oneof', 'proc.name = oneof'],
  ['proc.name startswith oneof', 'proc.name startswith oneof'],
  ['a or b and c', '(a or (b and c))'],
  ['a.b=1 or c.d=2 and e.f=3', '(a.b = 1 or (c.d = 2 and e.f = 3))'],
  ['a and (b and c)', '(a and (b and c))'],
  ['a and(b)', '(a and b)'],
  ['a or(b or c)', '(a or (b or c))'],
  ['macro and and_macro', '(macro and and_macro)'],
  ['not a', 'not a'],
  ['not not a', 'a'],
  ['not not(a)', 'a'],
  ['not (not a)', 'not not a'],
  ['not(a and b)', 'not (a and b)'],
  ['not_macro', 'not_macro'],
  ['notz', 'notz'],
  ['not\ta', 'not a'],
  ['not', 'not'],
  ['  a  ', 'a'],
  ['((a))', 'a'],
  ['a.b = x\nand c.d = y', '(a.b = x and c.d = y)'],
  ['a.b in ("\\q")', 'a.b in ()'],
  ['a.b globin (x)', 'a.b in (x)'],
];

describe('parseCondition accepts', () => {
  it.each(accepted)('%j', (input, canonical) => {
    expect(printCanonical(parseOk(input))).toBe(canonical);
  });
});

/** [input, message, offset] */
const rejected: [string, string, number][] = [
  ['', 'filter input string is empty', 0],
  ['   ', "expected a '(' token, a field check, or an identifier", 3],
  ['a andb', "expected blank or '(' after 'and'", 5],
  ['a orb', "expected blank or '(' after 'or'", 4],
  ['a b', "unexpected token after 'a', expecting 'or', 'and'", 2],
  ['a.b = "x" y', "unexpected token after 'x', expecting 'or', 'and'", 10],
  [
    'a.b containsx',
    "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'",
    12,
  ],
  [
    'a.b',
    "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch'",
    3,
  ],
  [
    'proc.pid > abc',
    "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'",
    11,
  ],
  ['proc.pid > 1e10', "unexpected token after '1', expecting 'or', 'and'", 12],
  [
    'a.b = ',
    "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'",
    6,
  ],
  [
    'a.b in -x',
    "expected a list, an identifier, or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'",
    7,
  ],
  ['a.b in (x,)', 'expected a string value', 10],
  ['a.b in (x y)', "expected a ')' token", 10],
  ['x.y in (b64(y))', "expected a ')' token", 11],
  ['proc.name == oneof(a)', "unexpected token after 'oneof', expecting 'or', 'and'", 18],
  ['(a', "expected a ')' token", 2],
  ['evt.arg[a b] = 1', "expected a ']' token", 9],
  ['evt.arg[] = 1', 'expected a valid field argument: a quoted string or a bare string', 8],
  ['a.b = "\\c"', 'unsupported string escape sequence: \\c', 10],
  ["a.b = 'x\\\"'", 'invalid \\" escape in \'-quoted string', 11],
  ['a.b = "x\\\'"', 'invalid \\\' escape in "-quoted string', 11],
  [
    'a.b = "open',
    "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'",
    6,
  ],
  ['a.b = val(c)', "expected a field within 'val' transformer", 10],
  ['a.b = val(c.d', "expected a ')' token closing the transformer", 13],
  ['a.b = b64(val(c.d))', 'expected field transformer argument: field, transformer, quoted string, number, or transformer list', 10],
  ['val(a.b) = c', "unexpected token after 'val', expecting 'or', 'and'", 3],
  ['tolower (x.y) = a', "unexpected token after 'tolower', expecting 'or', 'and'", 8],
  ['join(",", (a.b, bare)) = x', 'expected transformer list argument: field, transformer, quoted string, or number', 16],
  ['join(",", (a.b x)) = x', "expected ')'", 15],
  ['tolower(bare) = x', 'expected field transformer argument: field, transformer, quoted string, number, or transformer list', 8],
  ['not ', "expected a '(' token, a field check, or an identifier", 4],
  ['a and', "expected blank or '(' after 'and'", 5],
];

describe('parseCondition rejects', () => {
  it.each(rejected)('%j: %s at %i', (input, message, offset) => {
    expect(parseCondition(input)).toEqual({ ok: false, error: { message, offset } });
  });
});

describe('tree shape', () => {
  it('keeps a parenthesised group as a separate child, with spans over its parentheses', () => {
    expect(parseOk('a and (b and c)')).toEqual({
      kind: 'and',
      span: { start: 0, end: 15 },
      operands: [
        { kind: 'macro-ref', name: 'a', span: { start: 0, end: 1 } },
        {
          kind: 'and',
          span: { start: 6, end: 15 },
          operands: [
            { kind: 'macro-ref', name: 'b', span: { start: 7, end: 8 } },
            { kind: 'macro-ref', name: 'c', span: { start: 13, end: 14 } },
          ],
        },
      ],
    });
  });

  it('gives every check, field, value and list its span', () => {
    expect(parseOk('not proc.aname[2] in ("x", y)')).toEqual({
      kind: 'not',
      span: { start: 0, end: 29 },
      operand: {
        kind: 'binary-check',
        op: 'in',
        span: { start: 4, end: 29 },
        left: { kind: 'field', name: 'proc.aname', arg: '2', span: { start: 4, end: 17 } },
        right: {
          kind: 'list',
          span: { start: 21, end: 29 },
          items: [
            { kind: 'value', value: 'x', span: { start: 22, end: 25 } },
            { kind: 'value', value: 'y', span: { start: 27, end: 28 } },
          ],
        },
      },
    });
  });

  it('represents val() as a transformer named val, and a bare field on the right as a string', () => {
    expect(withoutSpans(parseOk('a.b = val(c.d) and a.b = c.d'))).toEqual({
      kind: 'and',
      operands: [
        {
          kind: 'binary-check',
          op: '=',
          left: { kind: 'field', name: 'a.b' },
          right: { kind: 'transformer', name: 'val', args: [{ kind: 'field', name: 'c.d' }] },
        },
        { kind: 'binary-check', op: '=', left: { kind: 'field', name: 'a.b' }, right: { kind: 'value', value: 'c.d' } },
      ],
    });
  });

  it('parses the modifier form into op + modifier', () => {
    expect(withoutSpans(parseOk('proc.name startswith anyof (a)'))).toEqual({
      kind: 'binary-check',
      op: 'startswith',
      modifier: 'anyof',
      left: { kind: 'field', name: 'proc.name' },
      right: { kind: 'list', items: [{ kind: 'value', value: 'a' }] },
    });
  });

  it('parses getopt with a transformer argument', () => {
    expect(withoutSpans(parseOk('getopt(proc.args, "nt:")[t] = v'))).toEqual({
      kind: 'binary-check',
      op: '=',
      left: {
        kind: 'transformer',
        name: 'getopt',
        arg: 't',
        args: [
          { kind: 'field', name: 'proc.args' },
          { kind: 'value', value: 'nt:' },
        ],
      },
      right: { kind: 'value', value: 'v' },
    });
  });
});

describe('depth limit', () => {
  it("defaults to Falco's 1000", () => {
    const nested = (n: number) => `${'('.repeat(n)}a${')'.repeat(n)}`;
    // each group costs five levels (or, and, not, check, group) and the innermost check four
    expect(parseCondition(nested(199)).ok).toBe(true);
    expect(parseCondition(nested(200))).toEqual({
      ok: false,
      error: { message: 'exceeded max depth limit of 1000', offset: 200 },
    });
  });

  it('counts every guarded production like libsinsp: or, and, not, check for a macro', () => {
    expect(parseCondition('a', { maxDepth: 5 }).ok).toBe(true);
    expect(parseCondition('a', { maxDepth: 4 })).toEqual({
      ok: false,
      error: { message: 'exceeded max depth limit of 4', offset: 0 },
    });
  });
});
