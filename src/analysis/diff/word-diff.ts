/** Word-level differences of conditions, outputs and list items, with jsdiff (Myers' diff, bounded). */
import { diffArrays, diffWords } from 'diff';
import type { WordPart } from '../../report/index.js';

/** Past this many edits jsdiff gives up and the whole value is shown as removed and added: time stays bounded on hostile input. */
const MAX_EDIT_LENGTH = 4000;

/** Two texts word by word, whitespace runs read as one space (YAML folds them anyway). */
export function wordParts(before: string, after: string): WordPart[] {
  const b = oneLine(before);
  const a = oneLine(after);
  const changes = diffWords(b, a, { maxEditLength: MAX_EDIT_LENGTH });
  if (changes === undefined) return [...(b ? [{ op: 'removed' as const, text: b }] : []), ...(a ? [{ op: 'added' as const, text: a }] : [])];
  return merge(changes.map((c) => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value })));
}

/** Two lists item by item, in order; items are joined with ", " as Falco's list syntax reads. */
export function itemParts(before: readonly string[], after: readonly string[]): WordPart[] {
  const changes = diffArrays([...before], [...after], { maxEditLength: MAX_EDIT_LENGTH });
  if (changes === undefined)
    return [
      { op: 'removed', text: before.join(', ') },
      { op: 'added', text: after.join(', ') },
    ];
  const parts: WordPart[] = [];
  for (const c of changes) {
    const op: WordPart['op'] = c.added ? 'added' : c.removed ? 'removed' : 'same';
    c.value.forEach((item, i) => {
      // the comma between two added (or removed) items belongs to the change
      if (parts.length > 0) parts.push({ op: i > 0 ? op : 'same', text: ', ' });
      parts.push({ op, text: item });
    });
  }
  return merge(parts);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Adjacent parts of one kind become one. */
function merge(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last !== undefined && last.op === p.op) last.text += p.text;
    else if (p.text !== '') out.push({ ...p });
  }
  return out;
}
