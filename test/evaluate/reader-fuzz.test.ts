/**
 * The alert reader takes lines from files an attacker may have shaped (alert fields carry command
 * lines and file names); the rule-test reader takes YAML from pull requests. Both are total:
 * whatever the input, a result or a message naming the problem, never an exception, never a hang.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAlertLine, parseRuleTestFile } from '../../src/evaluate/index.js';
import { REPO_ROOT } from '../helpers/shared.js';

const RUNS = 10_000;

type Edit = { at: number; kind: 'insert' | 'delete' | 'replace'; text: string; length: number };
function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  if (e.kind === 'insert') return text.slice(0, at) + e.text + text.slice(at);
  if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + e.length);
  return text.slice(0, at) + e.text + text.slice(at + e.length);
}
const edits = (pieces: readonly string[]) =>
  fc.array(
    fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const),
      text: fc.constantFrom(...pieces),
      length: fc.integer({ min: 1, max: 16 }),
    }),
    { minLength: 1, maxLength: 6 },
  );

describe('alert reader', () => {
  const real = [
    {
      rule: 'Terminal shell in container',
      priority: 'Notice',
      output: 'shell',
      output_fields: { 'proc.cmdline': 'bash -i', 'fd.name': null, 'proc.aname[2]': 'runc', 'evt.arg.flags': ['O_RDONLY'], 'proc.pid': 4 },
      source: 'syscall',
      tags: ['shell'],
      time: '2026-11-20T10:00:00Z',
      hostname: 'n1',
    },
    { rule: 'Read sensitive file untrusted', priority: 'Warning', output: 'x', output_fields: { 'fd.name': '/etc/shadow', 'user.name': '<NA>' } },
  ].map((a) => JSON.stringify(a));
  const pieces = [
    '"',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ':',
    ',',
    'null',
    'true',
    '1e999',
    '-0',
    '"rule"',
    '"output_fields"',
    '"__proto__"',
    '"constructor"',
    '\\u0000',
    '\\ud800',
    '<NA>',
    '\n',
    ' ',
    'é',
  ];

  it('gives an alert or a message for mutated real alert lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...real), edits(pieces), (line, es) => {
        const r = parseAlertLine(es.reduce(applyEdit, line));
        if (r.ok) expect(typeof r.alert.rule).toBe('string');
        else expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives an alert or a message for any JSON value, and for deeply nested fields', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 19, arbitrary: fc.json({ maxDepth: 4 }) },
          { weight: 1, arbitrary: fc.nat({ max: 100_000 }).map((n) => `{"rule":"r","output_fields":{"a":${'['.repeat(n)}${']'.repeat(n)}}}`) },
        ),
        (line) => {
          const r = parseAlertLine(line);
          if (r.ok) {
            for (const v of Object.values(r.alert.fields))
              expect(v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v)).toBe(true);
          } else expect(r.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe('rule-test file reader', () => {
  const dirs = ['rules/tests', 'environments/production/tests', 'environments/staging/tests'];
  const files = dirs.flatMap((d) => readdirSync(join(REPO_ROOT, d)).map((f) => ({ path: `${d}/${f}`, text: readFileSync(join(REPO_ROOT, d, f), 'utf8') })));
  const pieces = [
    '\n',
    '  ',
    '- ',
    ': ',
    '{',
    '}',
    '[',
    ']',
    '"',
    "'",
    '&a ',
    '*a',
    '!!str ',
    '? ',
    '~',
    'null',
    'tests:',
    'event:',
    'fires:',
    'does_not_fire:',
    'environments:',
    'defaults:',
    'evt.type: ',
    '0x1',
    '\t',
    '#',
    '---\n',
  ];

  it('gives cases or located diagnostics for mutated test files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), edits(pieces), fc.constantFrom(undefined, 'production'), (file, es, only) => {
        const text = es.reduce(applyEdit, file.text);
        const { cases, diagnostics } = parseRuleTestFile(file.path, text, only);
        for (const d of diagnostics) {
          expect(d.location.file).toBe(file.path);
          expect(d.location.line).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(0);
        }
        if (diagnostics.length === 0) for (const c of cases) expect(typeof c.name).toBe('string');
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('gives cases or located diagnostics for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...pieces, 'a', 'x', '1'), maxLength: 40 }), (text) => {
        const { diagnostics } = parseRuleTestFile('t.yaml', text);
        for (const d of diagnostics) expect(d.location.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
