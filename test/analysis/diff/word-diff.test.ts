import { describe, expect, it } from 'vitest';
import { itemParts, wordParts } from '../../../src/analysis/diff/word-diff.js';
import { changeMarkdown, changeTextLines } from '../../../src/report/index.js';

describe('word-level differences', () => {
  it('marks only the words that changed, whitespace runs read as one space', () => {
    expect(wordParts('proc.name in (bash, sh)', 'proc.name   in (bash, sh,\n  zsh)')).toEqual([
      { op: 'same', text: 'proc.name in (bash, sh' },
      { op: 'added', text: ', zsh' },
      { op: 'same', text: ')' },
    ]);
  });

  it('diffs list items in order, as Falco lists read', () => {
    expect(itemParts(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual([
      { op: 'same', text: 'a, ' },
      { op: 'removed', text: 'b' },
      { op: 'same', text: ', c, ' },
      { op: 'added', text: 'd' },
    ]);
  });

  it('cuts long unchanged stretches to a few words of context and wraps at 100 columns', () => {
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const after = [...words.slice(0, 150), 'CHANGED', ...words.slice(151)];
    const change = { label: 'condition', parts: wordParts(words.join(' '), after.join(' ')) };
    const text = changeTextLines(change, '    ');
    expect(text.join('\n')).toBe('    condition: … w144 w145 w146 w147 w148 w149 [-w150-]{+CHANGED+} w151 w152 w153 w154 w155 w156 …');
    const long = { label: 'output', parts: wordParts('x', Array.from({ length: 60 }, (_, i) => `field${i}`).join(' ')) };
    for (const line of changeTextLines(long, '  ')) expect(line.length).toBeLessThanOrEqual(100);
    expect(changeTextLines(long, '  ').length).toBeGreaterThan(5);
  });

  it("Markdown keeps the value as written: Markdown's and HTML's specials are escaped, changes are <del>/<ins>", () => {
    const md = changeMarkdown({ label: 'condition', parts: wordParts('user_known_* and fd.name=<a>', 'user_known_* and fd.name=<b> or x') });
    expect(md.replace(/\s+/g, ' ')).toBe('condition: <code>user\\_known\\_\\* and fd.name\\=&lt;<del>a</del><ins>b</ins>&gt; <ins>or x</ins></code>');
  });
});
