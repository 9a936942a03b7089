import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRulesFile } from '../../src/rules/read-rules-file.js';
import { mergeRulesFiles } from '../../src/rules/merge-rules-files.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';

const FILES = ['falco_rules/rules-5.1.0.yaml', 'falco-incubating_rules/rules-6.0.1.yaml', 'falco-sandbox_rules/rules-6.1.0.yaml', 'falco_rules/falco-0.15.0.yaml'];
const missing = missingUpstream(...FILES);
const SOURCES = missing ? [] : FILES.map((f) => readUpstream(f).text.split('\n'));

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'indent' | 'dedent' | 'scalar' | 'truncate'; at: number; text: string }
  | { kind: 'swap'; at: number; with: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'scalar', 'truncate'), at: fc.nat(), text: fc.constantFrom('', '~', '[]', '{}', 'yes', '"', '- x', 'a: b', '*a', '&a x', '0x10', ': :', '[[[', 'append') }),
  fc.record({ kind: fc.constant('swap'), at: fc.nat(), with: fc.nat(), text: fc.constant('') }),
);

function mutate(lines: string[], m: Mutation): string[] {
  const out = lines.slice();
  const i = m.at % Math.max(out.length, 1);
  switch (m.kind) {
    case 'delete': out.splice(i, 1); break;
    case 'duplicate': out.splice(i, 0, out[i] ?? ''); break;
    case 'indent': out[i] = `  ${out[i] ?? ''}`; break;
    case 'dedent': out[i] = (out[i] ?? '').replace(/^ {1,2}/, ''); break;
    case 'scalar': out[i] = (out[i] ?? '').replace(/:\s.*$/, `: ${m.text}`); break;
    case 'truncate': out[i] = (out[i] ?? '').slice(0, (out[i] ?? '').length >> 1); break;
    case 'swap': {
      const j = m.with % Math.max(out.length, 1);
      [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
      break;
    }
  }
  return out;
}

describe.skipIf(missing)('mutated upstream rules files', () => {
  it('never throw or hang; each yields a result or coded diagnostics with a location', () => {
    const input = fc.record({
      source: fc.nat({ max: SOURCES.length - 1 }),
      start: fc.nat(),
      length: fc.integer({ min: 5, max: 120 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(input, ({ source, start, length, mutations }) => {
        const lines = SOURCES[source]!;
        const from = start % lines.length;
        const text = mutations.reduce((acc, m) => mutate(acc, m), lines.slice(from, from + length)).join('\n');
        const file = readRulesFile({ path: 'fuzz.yaml', text });
        const merged = mergeRulesFiles([file, file]);
        for (const d of [...file.diagnostics, ...merged.diagnostics]) {
          expect(d.code).toMatch(/^LOAD_/);
          expect(d.message.length).toBeGreaterThan(0);
          expect(d.location.file).toBe('fuzz.yaml');
          expect(d.location.line).toBeGreaterThanOrEqual(1);
          expect(d.location.column).toBeGreaterThanOrEqual(1);
        }
        expect(file.diagnostics.filter((d) => d.severity === 'error').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });
});
