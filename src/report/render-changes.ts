/** A changed value word by word, in text (`[-old-]{+new+}`, as `git diff --word-diff`) and in Markdown (`<del>`/`<ins>`), cut and wrapped. */
import type { ValueChange, WordPart } from './model.js';

/** Unchanged words kept on each side of a change; the rest of an unchanged stretch becomes "…". */
const CONTEXT_WORDS = 6;
const WIDTH = 100;

/** Text lines: `label: words…`, wrapped at 100 columns under `indent`. */
export function changeTextLines(change: ValueChange, indent: string): string[] {
  const marked = elide(change.parts).map((p) => (p.op === 'same' ? p.text : p.op === 'added' ? `{+${p.text}+}` : `[-${p.text}-]`));
  return wrap(`${change.label}: ${marked.join('')}`, WIDTH - indent.length).map((line, i) => `${indent}${i === 0 ? '' : '  '}${line}`);
}

/** One Markdown paragraph: `label: <code>…<del>old</del><ins>new</ins>…</code>`, its source wrapped. */
export function changeMarkdown(change: ValueChange): string {
  const html = elide(change.parts)
    .map((p) =>
      p.op === 'same' ? escapeMarkdown(p.text) : `<${p.op === 'added' ? 'ins' : 'del'}>${escapeMarkdown(p.text)}</${p.op === 'added' ? 'ins' : 'del'}>`,
    )
    .join('');
  // a line that starts with a digit could open an ordered list: never break before one
  return wrap(`${escapeMarkdown(change.label)}: <code>${html}</code>`, WIDTH, (next) => !/^\d/.test(next)).join('\n');
}

function elide(parts: readonly WordPart[]): WordPart[] {
  if (!parts.some((p) => p.op !== 'same')) return [...parts];
  return parts.map((p, i) => {
    if (p.op !== 'same') return p;
    const words = p.text.match(/\s*\S+\s*/g) ?? [p.text];
    const first = i === 0;
    const last = i === parts.length - 1;
    const keep = (first ? 0 : CONTEXT_WORDS) + (last ? 0 : CONTEXT_WORDS);
    if (words.length <= keep + 1) return p;
    const head = first ? '' : words.slice(0, CONTEXT_WORDS).join('');
    const tail = last ? '' : words.slice(-CONTEXT_WORDS).join('');
    return { op: 'same', text: `${head}${head === '' || /\s$/.test(head) ? '' : ' '}…${last ? '' : ' '}${tail}` };
  });
}

/** Greedy wrap at spaces; a word longer than the width stays whole on its own line. */
function wrap(text: string, width: number, mayStartLine: (word: string) => boolean = () => true): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width && mayStartLine(word)) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** HTML's specials as entities, Markdown's with a backslash: the value reads as written, never as emphasis or a list. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|#+=!-]/g, '\\$&');
}
