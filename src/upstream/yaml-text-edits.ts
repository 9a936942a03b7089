/**
 * Edits of a YAML source at the ranges the `yaml` Document API gives its nodes: everything outside
 * an edited node keeps its bytes (comments, quoting, flow/block style, line breaks), which
 * re-stringifying the whole document would not (`[a]` becomes `[ a ]`, long flow lists one line).
 */
import { Document, isScalar, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false } as const;

/** Applies non-overlapping edits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** A node rendered to start at `column`: continuation lines indented to it, with a trailing newline. */
export function renderAt(node: Node, column: number, lineWidth = 0): string {
  const doc = new Document();
  doc.contents = node;
  return doc.toString({ ...STRINGIFY, lineWidth }).replace(/\n(?=.)/g, `\n${' '.repeat(column)}`);
}

/** Replaces a whole node (an item of the top-level sequence, say) with another. */
export function replaceNode(text: string, node: Node, replacement: Node): TextEdit {
  const [start, end] = node.range ?? [0, 0];
  return { start, end, text: fitEnd(text.slice(start, end), renderAt(replacement, columnAt(text, start))) };
}

/** Replaces a mapping value with a string scalar in the style the old value had (plain, quoted, `>` or `|`). */
export function replaceScalar(text: string, keyColumn: number, key: string, old: Node, value: string): TextEdit {
  const [start, end] = old.range ?? [0, 0];
  const block = isScalar(old) && (old.type === Scalar.BLOCK_FOLDED || old.type === Scalar.BLOCK_LITERAL);
  // a block scalar keeps its chomping: `>` stays `>`, not `>-`
  const keepsNewline = block && typeof old.value === 'string' && old.value.endsWith('\n') && !value.endsWith('\n');
  const scalar = new Scalar(keepsNewline ? `${value}\n` : value);
  if (isScalar(old) && old.type !== undefined) scalar.type = old.type;
  const folded = scalar.type === Scalar.BLOCK_FOLDED;
  const map = new YAMLMap();
  map.set(key, scalar);
  const rendered = renderAt(map, keyColumn, folded ? 100 : 0).slice(key.length + 2);
  return { start, end, text: fitEnd(text.slice(start, end), rendered) };
}

/** A `key: value` line added at the end of a block mapping (after any comment on its last line). */
export function addPair(text: string, map: YAMLMap, key: string, value: Node): TextEdit {
  const [start, , end] = map.range ?? [0, 0, 0];
  const column = columnAt(text, start);
  const pair = new YAMLMap();
  pair.set(key, value);
  const line = `${' '.repeat(column)}${renderAt(pair, column)}`;
  return text[end - 1] === '\n' ? { start: end, end, text: line } : { start: end, end, text: `\n${line.trimEnd()}` };
}

/**
 * A list's items edited in place: the items at `removed` indexes dropped with their separator (a
 * block item with its whole line), `added` appended after the last item in the list's own style.
 */
export function editSequence(text: string, seq: YAMLSeq, removed: ReadonlySet<number>, added: readonly string[]): TextEdit[] {
  const items = seq.items as Node[];
  const quoting = commonQuoting(items);
  if (items.length - removed.size + added.length === 0) {
    const [start, end] = seq.range ?? [0, 0];
    return [{ start, end, text: fitEnd(text.slice(start, end), '[]\n') }];
  }
  return seq.flow
    ? editFlow(
        text,
        seq,
        items,
        removed,
        added.map((v) => scalarText(v, true, quoting)),
      )
    : editBlock(
        text,
        items,
        removed,
        added.map((v) => scalarText(v, false, quoting)),
      );
}

function editBlock(text: string, items: Node[], removed: ReadonlySet<number>, added: string[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const nextLine = (offset: number) => {
    const nl = text.indexOf('\n', offset);
    return nl < 0 ? text.length : nl + 1;
  };
  items.forEach((item, i) => {
    if (removed.has(i)) edits.push({ start: lineStart(item.range![0]), end: nextLine(item.range![1] - 1), text: '' });
  });
  if (added.length > 0) {
    const last = items[items.length - 1];
    const prefix = text.slice(lineStart(last.range![0]), last.range![0]);
    const at = nextLine(last.range![1] - 1);
    const lines = added.map((v) => `${prefix}${v}\n`).join('');
    edits.push(text[at - 1] === '\n' ? { start: at, end: at, text: lines } : { start: at, end: at, text: `\n${lines.trimEnd()}` });
  }
  return edits;
}

function editFlow(text: string, seq: YAMLSeq, items: Node[], removed: ReadonlySet<number>, added: string[]): TextEdit[] {
  const open = seq.range![0] + 1;
  const close = text.lastIndexOf(']', seq.range![1]);
  if (items.length === 0) return [{ start: open, end: open, text: added.join(', ') }];
  const at = (i: number) => items[i].range!;
  const separators = items.slice(1).map((_, i) => text.slice(at(i)[1], at(i + 1)[0]));
  const separator = separators.find((s) => /^, ?$/.test(s)) ?? ', ';
  const kept = items.map((_, i) => i).filter((i) => !removed.has(i));
  let body = text.slice(open, at(0)[0]);
  kept.forEach((i, j) => {
    body += text.slice(at(i)[0], at(i)[1]);
    if (j < kept.length - 1) body += separators[i];
  });
  body += added.map((v, k) => (kept.length === 0 && k === 0 ? v : `${separator}${v}`)).join('');
  body += text.slice(at(items.length - 1)[1], close);
  return [{ start: open, end: close, text: body }];
}

/** The quoting every item shares (all `"…"`, say), for new items to follow. */
function commonQuoting(items: Node[]): Scalar['type'] {
  const types = new Set(items.map((i) => (isScalar(i) ? i.type : undefined)));
  const [only] = types;
  return types.size === 1 && (only === Scalar.QUOTE_DOUBLE || only === Scalar.QUOTE_SINGLE) ? only : undefined;
}

function scalarText(value: string, flow: boolean, quoting: Scalar['type']): string {
  const scalar = new Scalar(value);
  if (quoting !== undefined) scalar.type = quoting;
  const seq = new YAMLSeq();
  seq.flow = flow;
  seq.items.push(scalar);
  const out = renderAt(seq, 0).trimEnd();
  return flow ? out.slice(1, -1) : out.slice(2);
}

/** The rendering, with its trailing newline kept only where the replaced text had one. */
function fitEnd(old: string, rendered: string): string {
  return old.endsWith('\n') ? rendered : rendered.replace(/\n$/, '');
}
