/** Word-level differences of conditions, outputs and list items, with jsdiff's array diff (Myers' diff, bounded). */
import { diffArrays } from 'diff';
import type { WordPart } from '../../report/index.js';

/** Past this many edits jsdiff gives up and the whole value is shown as removed and added: time stays bounded on hostile input. */
const MAX_EDIT_LENGTH = 4000;

/**
 * Two texts word by word, whitespace runs read as one space (YAML folds them anyway). A word is what
 * Falco reads as one value: a run of anything but blanks, parentheses, commas and `=`, so an image
 * or a path that changed is shown whole instead of matched piece by piece against another one.
 */
export function wordParts(before: string, after: string): WordPart[] {
  const b = oneLine(before);
  const a = oneLine(after);
  const changes = diffArrays(words(b), words(a), { maxEditLength: MAX_EDIT_LENGTH });
  if (changes === undefined) return [...(b ? [{ op: 'removed' as const, text: b }] : []), ...(a ? [{ op: 'added' as const, text: a }] : [])];
  return merge(joinAcrossBlanks(merge(changes.map((c) => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value.join('') })))));
}

/**
 * A change split only by blanks (`[-a-] [-b-]{+c+}`) reads as one, its removed words then its added
 * ones; a blank that starts or ends every side of a change is shown as unchanged (it separates
 * words, it is not one).
 */
function joinAcrossBlanks(parts: WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  for (let i = 0; i < parts.length;) {
    if (parts[i].op === 'same') {
      out.push(parts[i++]);
      continue;
    }
    let removed = '';
    let added = '';
    for (; i < parts.length; i++) {
      const p = parts[i];
      const blankBetweenChanges = p.text.trim() === '' && parts[i + 1] !== undefined && parts[i + 1].op !== 'same';
      if (p.op === 'same' && !blankBetweenChanges) break;
      if (p.op !== 'added') removed += p.text;
      if (p.op !== 'removed') added += p.text;
    }
    const sides = [removed, added].filter((t) => t.trim() !== '');
    const lead = sides.every((t) => /^\s/.test(t)) ? ' ' : '';
    const trail = sides.every((t) => /\s$/.test(t)) ? ' ' : '';
    out.push({ op: 'same', text: lead }, { op: 'removed', text: removed.trim() }, { op: 'added', text: added.trim() }, { op: 'same', text: trail });
  }
  return out;
}

function words(text: string): string[] {
  return text.match(/[^\s(),=]+|[(),=]|\s+/g) ?? [];
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
