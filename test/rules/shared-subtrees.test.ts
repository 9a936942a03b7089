/**
 * What SharedSubtrees knows of a node goes with it when the node is moved (a reparse copies it with
 * its spans moved): facts, hints and errors included, with their spans moved, equal to what a fresh
 * analysis of the moved node gives.
 */
import { describe, expect, it } from 'vitest';
import { parseCondition, reparseListChange, type Expr } from '../../src/condition/index.js';
import { SharedSubtrees } from '../../src/rules/shared-subtrees.js';
import { defaultTarget } from '../../src/targets/target.js';
import { semanticsOf } from '../../src/targets/semantics.js';

const semantics = semanticsOf(defaultTarget());

function parsed(text: string): Expr {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`does not parse: ${text}`);
  return result.expr;
}

describe('SharedSubtrees.moved', () => {
  it('gives a moved node the facts, canonical form and event types a fresh analysis gives it', () => {
    // after the list: a compiler hint (a field used as a value) and a filter error (an unknown field)
    const before = 'evt.type in (open, openat) and proc.name in (bash) and proc.pname = proc.name and not proc.nosuchfield = x';
    const after = 'evt.type in (open, openat) and proc.name in (bash, shell-1234) and proc.pname = proc.name and not proc.nosuchfield = x';
    const reused = new SharedSubtrees(semantics.catalog, semantics);
    const old = parsed(before);
    reused.facts(old, 'syscall');
    reused.printCanonical(old);
    reused.eventTypes(old);
    const reparsed = reparseListChange(before, old, after)!;
    expect(reparsed.moved.length).toBeGreaterThan(0);
    for (const [from, to] of reparsed.moved) reused.moved(from, to, reparsed.delta);
    // taken over, not analysed again: the moved facts share what has no span
    for (const [from, to] of reparsed.moved) expect(reused.facts(to, 'syscall').deprecated).toBe(reused.facts(from, 'syscall').deprecated);

    const fresh = new SharedSubtrees(semantics.catalog, semantics);
    const full = parsed(after);
    const facts = reused.facts(reparsed.expr, 'syscall');
    expect(facts).toEqual(fresh.facts(full, 'syscall'));
    expect(facts.error?.message).toContain('proc.nosuchfield');
    expect(after.slice(facts.error!.span.start, facts.error!.span.end)).toContain('proc.nosuchfield');
    expect(facts.hints.map((h) => after.slice(h.span.start, h.span.end))).toEqual(['proc.name']);
    expect(reused.printCanonical(reparsed.expr)).toBe(fresh.printCanonical(full));
    expect(reused.eventTypes(reparsed.expr)).toEqual(fresh.eventTypes(full));
  });
});
