import fc from 'fast-check';
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

  it('shows a value that changed whole, as Falco reads it, not matched piece by piece against another', () => {
    const before = '(container.image.repository in (docker.io/sysdig/sysdig, registry.k8s.io/ingress-nginx/kube-webhook-certgen))';
    const after = '(container.image.repository in (docker.io/sysdig/sysdig, registry.acme.example/k8s-agent))';
    expect(wordParts(before, after)).toEqual([
      { op: 'same', text: '(container.image.repository in (docker.io/sysdig/sysdig, ' },
      { op: 'removed', text: 'registry.k8s.io/ingress-nginx/kube-webhook-certgen' },
      { op: 'added', text: 'registry.acme.example/k8s-agent' },
      { op: 'same', text: '))' },
    ]);
  });

  it('reads a change split only by blanks as one change, the blanks around it unchanged', () => {
    expect(wordParts('(fd.rip in (allowed_ssh_peers))', '(fd.cip = "10.20.0.10")')).toEqual([
      { op: 'same', text: '(' },
      { op: 'removed', text: 'fd.rip in (allowed_ssh_peers' },
      { op: 'added', text: 'fd.cip = "10.20.0.10"' },
      { op: 'same', text: ')' },
      { op: 'removed', text: ')' },
    ]);
    expect(wordParts('a (user=%user.name)', 'a (user=%user.name image=%container.image)')).toEqual([
      { op: 'same', text: 'a (user=%user.name ' },
      { op: 'added', text: 'image=%container.image' },
      { op: 'same', text: ')' },
    ]);
  });

  it('loses and invents nothing: unchanged and removed words are the old text, unchanged and added the new one', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'proc.name', '=', '(', ')', ',', ' ', '  ', '\n', 'x/y.z', '"q r"'), { maxLength: 30 })
      .map((w) => w.join(''));
    const visible = (s: string) => s.replace(/\s+/g, '');
    fc.assert(
      fc.property(text, text, (before, after) => {
        const parts = wordParts(before, after);
        // one side's words: every part but those only the other side has
        const side = (other: 'added' | 'removed') =>
          visible(
            parts
              .filter((p) => p.op !== other)
              .map((p) => p.text)
              .join(''),
          );
        expect(side('added')).toBe(visible(before));
        expect(side('removed')).toBe(visible(after));
      }),
      { numRuns: 2000 },
    );
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
    expect(md.replace(/\s+/g, ' ')).toBe('condition: <code>user\\_known\\_\\* and fd.name\\=<del>&lt;a&gt;</del><ins>&lt;b&gt; or x</ins></code>');
  });
});
