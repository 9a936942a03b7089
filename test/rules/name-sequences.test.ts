import { describe, expect, it } from 'vitest';
import { NameSequences } from '../../src/rules/name-sequences.js';

describe('NameSequences', () => {
  it('gives equal sequences one number and different ones different numbers, whichever was asked last', () => {
    const sequences = new NameSequences();
    const ab = sequences.idOf('list', ['a', 'b']);
    expect(sequences.idOf('list', new Map([['a', 1], ['b', 2]]).keys())).toBe(ab);
    const ba = sequences.idOf('list', ['b', 'a']);
    expect(ba).not.toBe(ab);
    expect(sequences.idOf('macro', ['a', 'b'])).toBe(ab);
    expect(sequences.idOf('list', ['a', 'b'])).toBe(ab);
    expect(sequences.idOf('list', ['a', 'b', 'c'])).not.toBe(ab);
    expect(sequences.idOf('list', ['a,b'])).not.toBe(sequences.idOf('list', ['a', 'b']));
  });

  it('numbers new sequences with the numbering it is given', () => {
    let next = 100;
    const sequences = new NameSequences(() => next++);
    expect([sequences.idOf('k', ['x']), sequences.idOf('k', ['y']), sequences.idOf('k', ['x'])]).toEqual([100, 101, 100]);
  });
});
