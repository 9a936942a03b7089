import { describe, expect, it } from 'vitest';
import type { BinaryCheck, BinaryOperator, Expr, FieldOperand, OperatorModifier } from '../../src/condition/ast.js';
import {
  compileCondition,
  compileRowCondition,
  explainCondition,
  FALSE,
  tableFieldTypes,
  TRUE,
  UNKNOWN,
  type FalcoEvent,
  type Truth,
} from '../../src/evaluate/index.js';

const span = { start: 0, end: 0 };
const types = tableFieldTypes({
  'proc.name': { type: 'CHARBUF', list: false },
  'proc.pid': { type: 'INT64', list: false },
  'fd.name': { type: 'FSPATH', list: false },
  'fd.num': { type: 'INT64', list: false },
  'fd.sport': { type: 'PORT', list: false },
  'fd.ip': { type: 'IPADDR', list: false },
  'fd.net': { type: 'IPNET', list: false },
  'evt.is_open_read': { type: 'BOOL', list: false },
  'proc.aname': { type: 'CHARBUF', list: false },
  'fd.types': { type: 'CHARBUF', list: true },
  'evt.buffer': { type: 'BYTEBUF', list: false },
});

function field(name: string, arg?: string): FieldOperand {
  return arg === undefined ? { kind: 'field', name, span } : { kind: 'field', name, arg, span };
}
function check(left: FieldOperand | string, op: BinaryOperator, right: string | string[] | FieldOperand, modifier?: OperatorModifier): BinaryCheck {
  const l = typeof left === 'string' ? field(left) : left;
  const r =
    typeof right === 'string'
      ? { kind: 'value' as const, value: right, span }
      : Array.isArray(right)
        ? { kind: 'list' as const, items: right.map((value) => ({ kind: 'value' as const, value, span })), span }
        : right;
  return modifier ? { kind: 'binary-check', left: l, op, modifier, right: r, span } : { kind: 'binary-check', left: l, op, right: r, span };
}
/** Evaluates over a record and over a row, and checks that both forms agree. */
function run(expr: Expr, ev: FalcoEvent): Truth {
  const c = compileCondition(expr, types);
  expect(c.issues).toEqual([]);
  const slots = new Map<string, number>();
  const slotOf = (key: string) => slots.get(key) ?? (slots.set(key, slots.size), slots.size - 1);
  const rowPredicate = compileRowCondition(expr, types, slotOf);
  const row = Array.from({ length: slots.size }, (_, i) => ev[[...slots.keys()][i] as string]);
  const t = c.evaluate(ev);
  expect(rowPredicate(row)).toBe(t);
  return t;
}
const and = (...operands: Expr[]): Expr => ({ kind: 'and', operands, span });
const or = (...operands: Expr[]): Expr => ({ kind: 'or', operands, span });
const not = (operand: Expr): Expr => ({ kind: 'not', operand, span });

describe('string operators (§5.3)', () => {
  const cases: [BinaryOperator, string, string, Truth][] = [
    ['=', 'bash', 'bash', TRUE],
    ['==', 'bash', 'bas', FALSE],
    ['!=', 'bash', 'sh', TRUE],
    ['contains', '/etc/shadow', 'shad', TRUE],
    ['contains', '/etc/shadow', 'SHAD', FALSE],
    ['icontains', '/etc/Shadow', 'sHAD', TRUE],
    ['startswith', '/etc/shadow', '/etc/', TRUE],
    ['startswith', '/etcx/shadow', '/etc/', FALSE],
    ['endswith', '/etc/shadow', 'dow', TRUE],
    ['glob', '/etc/pam.d/sshd', '/etc/*/ssh?', TRUE],
    ['glob', '/etc/pam.d/sshd', '/etc/pam.d/[a-r]*', FALSE],
    ['glob', '/etc/pam.d/sshd', '/etc/pam.d/[!a-r]*', TRUE],
    ['glob', '/ETC/x', '/etc/*', FALSE],
    ['iglob', '/ETC/x', '/etc/*', TRUE],
    ['regex', 'python3.11', 'python[23](\\.[0-9]+)?', TRUE],
    ['regex', 'xpython3', 'python[23]', FALSE],
    ['<', 'abc', 'abd', TRUE],
    ['>=', 'abc', 'abd', FALSE],
    ['bcontains', '/etc/shadow', '736861', TRUE],
    ['bstartswith', '/etc/shadow', '2f657463', TRUE],
    ['bstartswith', '/etc/shadow', '657463', FALSE],
  ];
  it.each(cases)('fd.name %s: %s vs %s', (op, value, rhs, expected) => {
    expect(run(check('fd.name', op, rhs), { 'fd.name': value })).toBe(expected);
  });

  it('pmatch compares whole path components', () => {
    const c = check('fd.name', 'pmatch', ['/etc', '/usr/lib/']);
    expect(run(c, { 'fd.name': '/etc' })).toBe(TRUE);
    expect(run(c, { 'fd.name': '/etc/passwd' })).toBe(TRUE);
    expect(run(c, { 'fd.name': '/usr/lib/x/y' })).toBe(TRUE);
    expect(run(c, { 'fd.name': '/etcx/passwd' })).toBe(FALSE);
    expect(run(c, { 'fd.name': '/usr/libexec' })).toBe(FALSE);
  });

  it('in and intersects test membership on single-valued fields', () => {
    expect(run(check('proc.name', 'in', ['bash', 'sh']), { 'proc.name': 'sh' })).toBe(TRUE);
    expect(run(check('proc.name', 'in', ['bash', 'sh']), { 'proc.name': 'zsh' })).toBe(FALSE);
    expect(run(check('proc.name', 'intersects', ['bash', 'sh']), { 'proc.name': 'bash' })).toBe(TRUE);
    expect(run(check('proc.name', 'in', []), { 'proc.name': 'bash' })).toBe(FALSE);
  });

  it('modifiers: oneof exactly one, anyof at least one, allof every item', () => {
    const ev = { 'proc.name': 'sshd-session' };
    expect(run(check('proc.name', 'startswith', ['ssh', 'sshd'], 'oneof'), ev)).toBe(FALSE);
    expect(run(check('proc.name', 'startswith', ['ssh', 'sshd'], 'anyof'), ev)).toBe(TRUE);
    expect(run(check('proc.name', 'startswith', ['ssh', 'sshd'], 'allof'), ev)).toBe(TRUE);
    expect(run(check('proc.name', 'startswith', ['ssh', 'su'], 'oneof'), ev)).toBe(TRUE);
    expect(run(check('proc.name', 'startswith', ['ssh', 'su'], 'allof'), ev)).toBe(FALSE);
    expect(run(check('proc.name', '!=', ['nmap', 'masscan'], 'allof'), { 'proc.name': 'curl' })).toBe(TRUE);
    expect(run(check('proc.name', '!=', ['nmap', 'masscan'], 'allof'), { 'proc.name': 'nmap' })).toBe(FALSE);
  });
});

describe('numeric and boolean fields', () => {
  it('compares numbers numerically, whether the event carries numbers or strings', () => {
    expect(run(check('proc.pid', '>', '100'), { 'proc.pid': 1234 })).toBe(TRUE);
    expect(run(check('proc.pid', '>', '100'), { 'proc.pid': '99' })).toBe(FALSE);
    expect(run(check('proc.pid', '<=', '0x10'), { 'proc.pid': 16 })).toBe(TRUE);
    expect(run(check('fd.num', '<', '0'), { 'fd.num': -1 })).toBe(TRUE);
    expect(run(check('fd.sport', 'in', ['22', '2222']), { 'fd.sport': 2222 })).toBe(TRUE);
    expect(run(check('fd.sport', '!=', '22'), { 'fd.sport': 22 })).toBe(FALSE);
    // numerically equal, textually different
    expect(run(check('fd.sport', '=', '022'), { 'fd.sport': 22 })).toBe(TRUE);
  });

  it('compares booleans', () => {
    expect(run(check('evt.is_open_read', '=', 'true'), { 'evt.is_open_read': true })).toBe(TRUE);
    expect(run(check('evt.is_open_read', '=', 'true'), { 'evt.is_open_read': 'false' })).toBe(FALSE);
    expect(run(check('evt.is_open_read', '!=', 'false'), { 'evt.is_open_read': true })).toBe(TRUE);
  });

  it('reports operators Falco refuses on a type as issues and leaves the check unknown', () => {
    const c = compileCondition(check('proc.pid', 'contains', '1'), types);
    expect(c.issues.map((i) => i.message)).toEqual(["'contains' operator not supported for numeric filters"]);
    expect(c.evaluate({ 'proc.pid': 1 })).toBe(UNKNOWN);
  });
});

describe('IP addresses and networks', () => {
  it('matches an address against a network (fd.net = 127.0.0.0/8)', () => {
    expect(run(check('fd.net', '=', '127.0.0.0/8'), { 'fd.net': '127.0.0.53' })).toBe(TRUE);
    expect(run(check('fd.net', '=', '127.0.0.0/8'), { 'fd.net': '10.0.0.1' })).toBe(FALSE);
    expect(run(check('fd.net', '!=', '127.0.0.0/8'), { 'fd.net': '10.0.0.1' })).toBe(TRUE);
    expect(run(check('fd.net', 'in', ['10.0.0.0/8', '192.168.0.0/16']), { 'fd.net': '192.168.4.2' })).toBe(TRUE);
    expect(run(check('fd.net', '=', '2001:db8::/32'), { 'fd.net': '2001:db8:0:1::7' })).toBe(TRUE);
    expect(run(check('fd.net', '=', '2001:db8::/32'), { 'fd.net': '2001:db9::1' })).toBe(FALSE);
  });

  it('compares addresses by value, not by spelling', () => {
    expect(run(check('fd.ip', 'in', ['10.0.0.1', '::1']), { 'fd.ip': '0:0:0:0:0:0:0:1' })).toBe(TRUE);
    expect(run(check('fd.ip', '=', '10.0.0.1'), { 'fd.ip': '10.0.0.10' })).toBe(FALSE);
    expect(run(check('fd.ip', '=', '10.0.0.1'), { 'fd.ip': '::ffff:10.0.0.1' })).toBe(FALSE);
    expect(run(check('fd.ip', '=', '::ffff:10.0.0.1'), { 'fd.ip': '::ffff:a00:1' })).toBe(TRUE);
  });
});

describe('multi-valued fields and field arguments', () => {
  it('in needs every value in the set, intersects any (libsinsp compare_rhs)', () => {
    const ev = { 'fd.types': ['file', 'ipv4'] };
    expect(run(check('fd.types', 'in', ['file', 'ipv4', 'unix']), ev)).toBe(TRUE);
    expect(run(check('fd.types', 'in', ['file', 'unix']), ev)).toBe(FALSE);
    expect(run(check('fd.types', 'intersects', ['file', 'unix']), ev)).toBe(TRUE);
    expect(run(check('fd.types', 'intersects', ['pipe']), ev)).toBe(FALSE);
  });

  it('reads field arguments as their own keys', () => {
    const c = check(field('proc.aname', '2'), '=', 'containerd-shim');
    expect(run(c, { 'proc.aname[2]': 'containerd-shim', 'proc.aname[1]': 'bash' })).toBe(TRUE);
    expect(run(c, { 'proc.aname[1]': 'containerd-shim' })).toBe(UNKNOWN);
  });

  it('proc.aname without argument matches when any ancestor does', () => {
    const ev = { 'proc.aname': ['bash', 'sshd', 'systemd'] };
    expect(run(check('proc.aname', '=', 'sshd'), ev)).toBe(TRUE);
    expect(run(check('proc.aname', 'in', ['containerd', 'dockerd']), ev)).toBe(FALSE);
  });
});

describe('transformers and field-to-field comparison (§5.4)', () => {
  const t = (name: 'tolower' | 'toupper' | 'b64' | 'basename' | 'len', arg: FieldOperand): FieldOperand => ({
    kind: 'transformer',
    name,
    args: [arg as never],
    span,
  });
  it('applies transformers before comparing', () => {
    expect(run(check(t('tolower', field('proc.name')), '=', 'curl'), { 'proc.name': 'CuRL' })).toBe(TRUE);
    expect(run(check(t('toupper', field('proc.name')), '=', 'CURL'), { 'proc.name': 'curl' })).toBe(TRUE);
    expect(run(check(t('b64', field('proc.name')), '=', 'hello'), { 'proc.name': 'aGVsbG8=' })).toBe(TRUE);
    expect(run(check(t('basename', field('fd.name')), '=', 'shadow'), { 'fd.name': '/etc/shadow' })).toBe(TRUE);
    expect(run(check(t('len', field('fd.name')), '>', '10'), { 'fd.name': '/etc/shadow' })).toBe(TRUE);
    expect(run(check(t('len', field('fd.name')), '>', '11'), { 'fd.name': '/etc/shadow' })).toBe(FALSE);
  });

  it('joins and concatenates', () => {
    const concat: FieldOperand = {
      kind: 'transformer',
      name: 'concat',
      args: [field('proc.name'), { kind: 'value', value: ':', span }, field('fd.name')],
      span,
    };
    expect(run(check(concat, '=', 'cat:/etc/shadow'), { 'proc.name': 'cat', 'fd.name': '/etc/shadow' })).toBe(TRUE);
    const join: FieldOperand = {
      kind: 'transformer',
      name: 'join',
      args: [
        { kind: 'value', value: ',', span },
        { kind: 'transformer-list', items: [field('proc.name'), field('fd.name')], span },
      ],
      span,
    };
    expect(run(check(join, '=', 'cat,/etc/shadow'), { 'proc.name': 'cat', 'fd.name': '/etc/shadow' })).toBe(TRUE);
  });

  it('compares with another field through val()', () => {
    const c = check('proc.name', '=', { kind: 'transformer', name: 'val', args: [field('proc.aname', '1')], span });
    expect(run(c, { 'proc.name': 'bash', 'proc.aname[1]': 'bash' })).toBe(TRUE);
    expect(run(c, { 'proc.name': 'bash', 'proc.aname[1]': 'sshd' })).toBe(FALSE);
    expect(run(c, { 'proc.name': 'bash' })).toBe(UNKNOWN);
  });

  it('getopt picks one option argument', () => {
    const getopt: FieldOperand = {
      kind: 'transformer',
      name: 'getopt',
      args: [field('proc.args'), { kind: 'value', value: 'nt:', span }],
      arg: 't',
      span,
    };
    expect(run(check(getopt, '=', 'net'), { 'proc.args': '-n -t net 1' })).toBe(TRUE);
    expect(run(check(getopt, '=', 'net'), { 'proc.args': '-n 1' })).toBe(FALSE);
  });
});

describe('three-valued logic', () => {
  const a = check('proc.name', '=', 'cat');
  const b = check('fd.name', '=', '/etc/shadow');
  it("an absent field is unknown; null is Falco's <NA> (false, not exists)", () => {
    expect(run(a, {})).toBe(UNKNOWN);
    expect(run(a, { 'proc.name': null })).toBe(FALSE);
    expect(run(check('proc.name', '!=', 'cat'), { 'proc.name': null })).toBe(FALSE);
    expect(run({ kind: 'unary-check', left: field('proc.name'), op: 'exists', span }, { 'proc.name': null })).toBe(FALSE);
    expect(run({ kind: 'unary-check', left: field('proc.name'), op: 'exists', span }, { 'proc.name': 'x' })).toBe(TRUE);
    expect(run({ kind: 'unary-check', left: field('proc.name'), op: 'exists', span }, {})).toBe(UNKNOWN);
  });
  it('and/or/not follow Kleene logic', () => {
    expect(run(and(a, b), { 'proc.name': 'vim' })).toBe(FALSE);
    expect(run(and(a, b), { 'proc.name': 'cat' })).toBe(UNKNOWN);
    expect(run(or(a, b), { 'proc.name': 'cat' })).toBe(TRUE);
    expect(run(or(a, b), { 'proc.name': 'vim' })).toBe(UNKNOWN);
    expect(run(not(a), {})).toBe(UNKNOWN);
    expect(run(and(b, not(a), a), { 'proc.name': 'cat' })).toBe(FALSE);
    expect(run(or(b, a, not(a)), { 'proc.name': 'cat' })).toBe(TRUE);
  });
  it('explains which check decided and which fields were missing', () => {
    const c = compileCondition(and(a, not(b)), types);
    const ex = explainCondition(c, { 'proc.name': 'cat', 'fd.name': '/etc/shadow' });
    expect(ex.truth).toBe(FALSE);
    expect(ex.deciding.map((d) => d.expr)).toEqual([b]);
    const unk = explainCondition(c, { 'proc.name': 'cat' });
    expect(unk.truth).toBe(UNKNOWN);
    expect(unk.missing).toEqual(['fd.name']);
  });
});
