import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type {
  Expr,
  FieldRef,
  ListLiteral,
  Literal,
  NumericOperator,
  RightOperand,
  StringOperator,
  Transformer,
  TransformerArg,
  TransformerName,
} from '../../src/condition/index.js';
import { defaultCatalog, parseCondition, printSource, validateFilter, withoutSpans } from '../../src/condition/index.js';
import { compileCondition, FALSE, tableFieldTypes, TRUE } from '../../src/evaluate/index.js';
import { missingUpstreamHistory, readUpstream, upstreamManifest } from '../helpers/shared.js';

const span = { start: 0, end: 0 };

/** Characters that matter to the lexer, plus a few ordinary and non-ASCII ones (never NUL). */
const tricky = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\b',
  '\f',
  '"',
  "'",
  '\\',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  '<',
  '>',
  '!',
  '.',
  '/',
  '*',
  'x',
  'a',
  'n',
  'o',
  't',
  '0',
  '1',
  'é',
  '€',
];
const anyString = fc.string({ unit: fc.constantFrom(...tricky), maxLength: 8 });
const identifier = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,5}$/) },
  { weight: 1, arbitrary: fc.constantFrom('and', 'or', 'not', 'in', 'exists', 'oneof', 'val', 'tolower', 'not_x', 'nota') },
);
const number = fc.oneof(fc.stringMatching(/^[+-]?[0-9]{1,4}(\.[0-9]{0,3})?([eE][+-][0-9]{1,2})?$/), fc.stringMatching(/^0[xX][0-9a-fA-F]{1,4}$/));

const fieldRef: fc.Arbitrary<FieldRef> = fc
  .record({
    segments: fc.array(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,4}$/), { minLength: 2, maxLength: 3 }),
    arg: fc.option(anyString, { nil: undefined }),
  })
  .map(({ segments, arg }) => (arg === undefined ? { kind: 'field', name: segments.join('.'), span } : { kind: 'field', name: segments.join('.'), arg, span }));

const literal = (value: fc.Arbitrary<string>): fc.Arbitrary<Literal> => value.map((v) => ({ kind: 'value', value: v, span }));
const listLiteral: fc.Arbitrary<ListLiteral> = fc.array(literal(anyString), { maxLength: 4 }).map((items) => ({ kind: 'list', items, span }));

const transformerNames: TransformerName[] = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'];

const { transformer } = fc.letrec<{ transformer: Transformer; targ: TransformerArg }>((tie) => ({
  transformer: fc
    .record({
      name: fc.constantFrom(...transformerNames),
      args: fc.array(tie('targ'), { minLength: 1, maxLength: 3 }),
      arg: fc.option(anyString, { nil: undefined }),
    })
    .map(({ name, args, arg }) => (arg === undefined ? { kind: 'transformer', name, args, span } : { kind: 'transformer', name, args, arg, span })),
  targ: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fieldRef,
    literal(fc.oneof(anyString, number)),
    fc.array(fc.oneof(fieldRef, literal(anyString)), { maxLength: 3 }).map((items) => ({ kind: 'transformer-list' as const, items, span })),
    tie('transformer') as fc.Arbitrary<Transformer>,
  ),
}));

const valOf: fc.Arbitrary<Transformer> = fieldRef.map((field) => ({ kind: 'transformer', name: 'val', args: [field], span }));
const left = fc.oneof(fieldRef, transformer);
const rightTransformer = fc.oneof(valOf, transformer);

const numericOps: NumericOperator[] = ['<=', '<', '>=', '>'];
const stringOps: StringOperator[] = ['==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex'];

const check: fc.Arbitrary<Expr> = fc
  .oneof(
    left.map((l) => ({ kind: 'unary-check' as const, left: l, op: 'exists' as const, span })),
    fc.record({ left, op: fc.constantFrom(...numericOps), right: fc.oneof(literal(number), rightTransformer) as fc.Arbitrary<RightOperand> }),
    fc.record({ left, op: fc.constantFrom(...stringOps), right: fc.oneof(literal(anyString), rightTransformer) as fc.Arbitrary<RightOperand> }),
    fc.record({
      left,
      op: fc.constantFrom(...stringOps),
      modifier: fc.constantFrom('oneof' as const, 'anyof' as const, 'allof' as const),
      right: fc.oneof(listLiteral, literal(identifier.filter((i) => i !== 'and' && i !== 'or' && i !== 'not'))) as fc.Arbitrary<RightOperand>,
    }),
    fc.record({
      left,
      op: fc.constantFrom('in' as const, 'intersects' as const, 'pmatch' as const),
      right: fc.oneof(listLiteral, literal(identifier), rightTransformer) as fc.Arbitrary<RightOperand>,
    }),
    identifier.map((name) => ({ kind: 'macro-ref' as const, name, span })),
  )
  .map((e) => ('op' in e && !('kind' in e) ? ({ kind: 'binary-check', ...e, span } as Expr) : (e as Expr)));

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    check,
    fc
      .record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }) })
      .map((e) => ({ ...e, span })),
    tie('expr').map((operand) => ({ kind: 'not' as const, operand, span })),
  ),
}));

describe('printSource → parseCondition on random trees', () => {
  it('gives back the same tree', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printSource(e);
        const parsed = parseCondition(text);
        expect(parsed.ok ? withoutSpans(parsed.expr) : parsed.error).toEqual(withoutSpans(e));
      }),
      { numRuns: 3000 },
    );
  });
});

function expectTotal(text: string): void {
  const result = parseCondition(text);
  if (!result.ok) {
    expect(result.error.offset).toBeGreaterThanOrEqual(0);
    expect(result.error.offset).toBeLessThanOrEqual(text.length);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

const upstream = upstreamManifest()
  .filter((_, i) => i % 4 === 0)
  .flatMap((entry) => {
    const doc: unknown = parseYaml(readUpstream(entry.file).text);
    return Array.isArray(doc) ? (doc as Record<string, unknown>[]).map((item) => item?.condition).filter((c): c is string => typeof c === 'string') : [];
  });

const tokens = [
  'and',
  'or',
  'not',
  'not(',
  '(',
  ')',
  ',',
  '"',
  "'",
  '\\',
  '[',
  ']',
  'oneof ',
  'exists',
  'in',
  '=',
  ' ',
  'val(',
  'tolower(',
  'join(',
  '0x',
  '1e+',
];

type Edit = { at: number; kind: 'insert' | 'delete' | 'replace'; text: string; length: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const),
  text: fc.oneof(fc.constantFrom(...tokens), fc.constantFrom(...tricky)),
  length: fc.integer({ min: 1, max: 12 }),
});

function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  if (e.kind === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  return text.slice(0, at) + e.text + text.slice(at + e.text.length);
}

describe('parseCondition is total', () => {
  it('on random strings of grammar characters and tokens', () => {
    const piece = fc.oneof(
      fc.constantFrom(...tokens),
      fc.constantFrom(...tricky),
      identifier,
      fc.constantFrom('proc.name', 'evt.arg[x]', ' in (a, b)', ' = x'),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')),
        (text) => expectTotal(text),
      ),
      { numRuns: 4000 },
    );
  });

  it.skipIf(missingUpstreamHistory())('on mutated upstream conditions', () => {
    expect(upstream.length).toBeGreaterThan(1000);
    fc.assert(
      fc.property(fc.nat(upstream.length - 1), fc.array(edit, { minLength: 1, maxLength: 4 }), (index, edits) => {
        expectTotal(edits.reduce(applyEdit, upstream[index]!));
      }),
      { numRuns: 4000 },
    );
  });
});

describe('regex and glob checks on attacker-shaped patterns and values', () => {
  /** Every character RE2 and fnmatch give a meaning to, a few ordinary ones, and the quote and escape of the condition. */
  const meta = [
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '*',
    '+',
    '?',
    '|',
    '^',
    '$',
    '.',
    '\\',
    '-',
    '!',
    ',',
    '<',
    '=',
    ':',
    'a',
    'b',
    'd',
    'P',
    'p',
    '1',
    '0',
    '/',
    ' ',
    '\n',
    'é',
  ];
  const pattern = fc.oneof(
    fc.string({ unit: fc.constantFrom(...meta), maxLength: 16 }),
    fc.constantFrom('(a+)+$', '(a|aa)+$', '(a*)*b', '(?<=a)b', '(a)\\1', '\\d+', '(?i)abc', 'x{1001}', '[z-a]', '*a*a*a*a*a*a*a*b', '[!a-]*', '\\'),
  );
  const value = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', '!', '/', '\n', '-', 'é'), maxLength: 64 }),
    fc.nat({ max: 200 }).map((n) => `${'a'.repeat(n)}!`),
  );
  const types = tableFieldTypes({ 'proc.cmdline': { type: 'CHARBUF', list: false } });
  const quote = (p: string) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

  it('parse, validate and evaluate without throwing, and every refusal is Falco-worded', () => {
    fc.assert(
      fc.property(fc.constantFrom('regex', 'glob', 'iglob', 'regex anyof'), pattern, fc.array(value, { minLength: 1, maxLength: 3 }), (op, p, values) => {
        const text = `proc.cmdline ${op} ${op.endsWith('anyof') ? `(${quote(p)})` : quote(p)}`;
        const parsed = parseCondition(text);
        if (!parsed.ok) return;
        const error = validateFilter(parsed.expr, 'syscall', defaultCatalog);
        if (error !== null) {
          expect(op.startsWith('regex')).toBe(true);
          expect(error.message).toMatch(/^invalid regex pattern: \S/);
          return;
        }
        const { evaluate, issues } = compileCondition(parsed.expr, types);
        expect(issues).toEqual([]);
        for (const v of values) expect([FALSE, TRUE]).toContain(evaluate({ 'proc.cmdline': v }));
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);
});
