import { describe, expect, it } from 'vitest';
import type { Check } from '../../../src/analysis/lint/index.js';
import { findingsOf, type CheckCase, type FlaggedCase } from './harness.js';

/** ESLint-style table test: flagged snippets with message id and line; fine snippets with none. */
export function checkTable(check: Check, cases: { flagged: FlaggedCase[]; fine: CheckCase[] }): void {
  describe(check.id, () => {
    for (const c of cases.flagged) {
      it(`flags: ${c.name}`, () => {
        const found = findingsOf(check, c.yaml);
        expect(found.map((f) => f.messageId)).toEqual(Array(c.count ?? 1).fill(c.messageId));
        expect(found[0]!.location.line).toBe(c.line);
        expect(found[0]!.message).not.toMatch(/\{\w+\}/);
      });
    }
    for (const c of cases.fine) {
      it(`accepts: ${c.name}`, () => {
        expect(findingsOf(check, c.yaml).map((f) => f.message)).toEqual([]);
      });
    }
  });
}

/** A syscall rule with the given condition (and extra keys), for compact tables. */
export function rule(name: string, condition: string, extra = ''): string {
  return `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o %proc.name\n  priority: NOTICE\n${extra}`;
}
