import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLists } from '../../src/rules/compile-lists.js';
import { substituteLists } from '../../src/rules/list-substitution.js';
import { mergeRulesFiles } from '../../src/rules/merge-rules-files.js';
import { readRulesFile } from '../../src/rules/read-rules-file.js';
import type { CompiledList, ListEntry } from '../../src/rules/model.js';

const loc = { file: 'r.yaml', line: 1, column: 1 };
const entry = (name: string, items: string[]): ListEntry => ({ name, items, index: 0, visibility: 0, loc, history: [] });
const lists = (defs: Record<string, string[]>): CompiledList[] =>
  Object.entries(defs).map(([name, items]) => ({ name, items, used: false, entry: entry(name, items) }));

/** resolve_list as Falco writes it, run for every list in order: the reference the fast version must match. */
function referenceSubstitute(text: string, all: CompiledList[]): { text: string; used: Set<string> } {
  const blanks = ' \t\n\r';
  const delims = `${blanks}(),=`;
  const used = new Set<string>();
  let cnd = text;
  for (const list of all) {
    let start = cnd.indexOf(list.name);
    while (start !== -1) {
      let end = start + list.name.length;
      if ((start === 0 || delims.includes(cnd[start - 1]!)) && (end >= cnd.length || delims.includes(cnd[end]!))) {
        while (start > 0 && blanks.includes(cnd[start - 1]!)) start--;
        while (end < cnd.length && blanks.includes(cnd[end]!)) end++;
        const sub = list.items.map((v) => (v.includes(' ') && v[0] !== '"' && v[0] !== "'" ? `"${v}"` : v)).join(', ');
        if (sub === '') {
          if (start > 0 && cnd[start - 1] === ',') start--;
          else if (end < cnd.length && cnd[end] === ',') end++;
        }
        cnd = (start > 0 ? cnd.slice(0, start) + ' ' : '') + sub + ' ' + cnd.slice(end);
        start += sub.length + 1;
        used.add(list.name);
      }
      start = start + 1 > cnd.length ? -1 : cnd.indexOf(list.name, start + 1);
    }
  }
  return { text: cnd, used };
}

describe('list substitution in condition text (§3.2)', () => {
  it.each([
    ['proc.name in (shells)', { shells: ['bash', 'sh'] }, 'proc.name in ( bash, sh )'],
    ['proc.name in shells', { shells: ['bash', 'sh'] }, 'proc.name in bash, sh '],
    ['proc.name=shells', { shells: ['bash'] }, 'proc.name= bash '],
    ['file_shells or shells_x', { shells: ['bash'] }, 'file_shells or shells_x'],
    ['a in (x, empty)', { empty: [] }, 'a in (x  )'],
    ['a in (empty, x)', { empty: [] }, 'a in (   x)'],
    ['a in (empty)', { empty: [] }, 'a in (  )'],
    ['a = "my shells here"', { shells: ['bash'] }, 'a = "my bash here"'],
    ['a in (l)', { l: ['escaped val', '"q x"', 'x,y'] }, 'a in ( "escaped val", "q x", x,y )'],
    ['shells shells', { shells: ['bash'] }, 'bash shells'],
  ])('%s', (text, defs, expected) => {
    expect(substituteLists(text, lists(defs)).text).toBe(expected);
  });

  it('an item naming a later list is expanded again by that list (accidental second level)', () => {
    const all = lists({ a: ['b', 'x'], b: ['y'], c: ['a'] });
    expect(substituteLists('p in (a)', all)).toEqual({ text: 'p in ( y , x )', used: new Set(['a', 'b']) });
    expect(substituteLists('p in (c)', all)).toEqual({ text: 'p in ( a )', used: new Set(['c']) });
  });

  it('matches the per-list reference loop on random texts and list sets', () => {
    const word = fc.constantFrom('a', 'b', 'ab', 'c', 'x', 'in', 'l_1', 'proc.name', '"q', 'a b');
    const sep = fc.constantFrom(' ', '  ', '(', ')', ',', '=', ', ', '\t', '\n', '', ' (', ') ', '"');
    const text = fc.array(fc.tuple(word, sep), { maxLength: 12 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    const listSet = fc
      .uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'ab', 'c', 'l_1', 'a b', 'x=y'), fc.array(word, { maxLength: 3 })), { selector: ([n]) => n, maxLength: 5 })
      .map((defs) => lists(Object.fromEntries(defs)));
    fc.assert(
      fc.property(text, listSet, (t, l) => {
        expect(substituteLists(t, l)).toEqual(referenceSubstitute(t, l));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compiled lists (§3.1)', () => {
  const compile = (text: string) => compileLists(mergeRulesFiles([readRulesFile({ path: 'r.yaml', text })]));

  it('expands one level, only lists defined before, and marks them used', () => {
    const out = compile('- list: a\n  items: [x]\n- list: b\n  items: [a, y]\n- list: c\n  items: [b]\n- list: d\n  items: [e]\n- list: e\n  items: [z]\n');
    expect(out.map((l) => [l.name, l.items, l.used])).toEqual([
      ['a', ['x'], true], ['b', ['x', 'y'], true], ['c', ['a', 'y'], false], ['d', ['e'], false], ['e', ['z'], false],
    ]);
  });

  it('an append makes later-defined lists visible (visibility moves, index does not)', () => {
    const out = compile('- list: d\n  items: [e]\n- list: e\n  items: [z]\n- list: d\n  items: [w]\n  override: {items: append}\n');
    expect(out.find((l) => l.name === 'd')!.items).toEqual(['z', 'w']);
  });
});
