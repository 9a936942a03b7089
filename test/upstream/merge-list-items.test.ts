import { describe, expect, it } from 'vitest';
import { mergeListItems } from '../../src/upstream/index.js';

describe('three-way list merge', () => {
  it('applies upstream additions and removals and keeps ours', () => {
    const r = mergeListItems(['bash', 'sh', 'csh'], ['bash', 'sh', 'zsh', 'fish'], ['bash', 'sh', 'csh', 'ksh']);
    expect(r).toEqual({
      items: ['bash', 'sh', 'ksh', 'zsh', 'fish'],
      addedFromUpstream: ['zsh', 'fish'],
      removedFromUpstream: ['csh'],
      keptOurRemovals: [],
    });
  });

  it('keeps an item we removed even though upstream still has it', () => {
    const r = mergeListItems(['a', 'b', 'c'], ['a', 'b', 'c', 'd'], ['a', 'c']);
    expect(r.items).toEqual(['a', 'c', 'd']);
    expect(r.keptOurRemovals).toEqual(['b']);
  });

  it('does not add twice an item both sides added', () => {
    const r = mergeListItems(['a'], ['a', 'x'], ['a', 'x']);
    expect(r.items).toEqual(['a', 'x']);
    expect(r.addedFromUpstream).toEqual([]);
  });

  it('is the identity when upstream did not change', () => {
    const r = mergeListItems(['a', 'b'], ['a', 'b'], ['b', 'q']);
    expect(r.items).toEqual(['b', 'q']);
  });
});
