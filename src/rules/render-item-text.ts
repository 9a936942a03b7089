/**
 * One rendered item written directly, as exactly the text `yaml`'s Document stringifier gives for it
 * (lineWidth 0, indentSeq, short sequences in flow style). Building a Document per item made
 * rendering most of a build's time; the shapes of a rules file are few, so they are written here and
 * anything else (control characters, multi-line text in flow, leading blanks, fractions, …) is declined
 * (undefined) and left to the stringifier. test/rules/render-item-text*.test.ts hold the two to the
 * same bytes over every upstream release and random items.
 */
import { Document, isScalar as isScalarNode, isSeq, visit, type YAMLSeq } from 'yaml';

type Value = string | number | boolean | Value[] | { [key: string]: Value };

/** The stringifier's text of one item, as a one-entry sequence: short sequences in flow style, text never folded. */
export function stringifyItemText(item: Record<string, unknown>): string {
  const doc = new Document([item], { version: '1.2' });
  const root = doc.contents as YAMLSeq;
  visit(doc, {
    Seq(_, node) {
      if (node !== root && node.items.every((n) => isScalarNode(n) || (isSeq(n) && n.items.every(isScalarNode)))) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/** Declines: every caller falls back to the stringifier. */
class Declined extends Error {}

/** `- key: value…` ending in a newline, or undefined when the stringifier must write it. */
export function renderItemText(item: Record<string, unknown>): string | undefined {
  try {
    return `- ${blockMap(item as Record<string, Value>, '  ').slice(3)}\n`;
  } catch (e) {
    if (e instanceof Declined) return undefined;
    throw e;
  }
}

/** A block map whose keys sit at `indent`; each pair starts on its own line. */
function blockMap(map: Record<string, Value>, indent: string): string {
  let out = '';
  const keys = Object.keys(map);
  if (keys.length === 0) throw new Declined();
  for (const key of keys) {
    if (!PLAIN_KEY.test(key)) throw new Declined();
    out += `\n${indent}${key}:${pairValue(map[key], indent)}`;
  }
  return out;
}

function pairValue(value: Value, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)))) return ` ${flowSeq(value)}`;
    if (!value.every(isMap)) throw new Declined();
    const inner = `${indent}  `;
    return value.map((v) => `\n${inner}- ${blockMap(v as Record<string, Value>, `${inner}  `).slice(inner.length + 3)}`).join('');
  }
  if (isMap(value)) return blockMap(value as Record<string, Value>, `${indent}  `);
  return ` ${blockScalar(value, `${indent}  `)}`;
}

function flowSeq(values: Value[]): string {
  if (values.length === 0) return '[]';
  return `[ ${values.map((v) => (Array.isArray(v) ? flowSeq(v) : flowScalar(v))).join(', ')} ]`;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// eslint-disable-next-line no-control-regex -- the characters the stringifier escapes in double quotes
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** Text `yaml` will not write plain (its plainString's test). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const FLOW_INDICATOR = /[[\]{},]/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** The core schema's tags: plain text one of them would read as another type is quoted. */
const OTHER_TYPES = new Document().schema.tags.filter((tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test);

function isScalar(value: Value): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number';
}

function isMap(value: Value): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function blockScalar(value: Value, indent: string): string {
  if (typeof value !== 'string') return otherScalar(value);
  if (CONTROL.test(value) || DOCUMENT_MARKER.test(value)) throw new Declined();
  if (!value.includes('\n')) return singleLine(value, false);
  // a literal block: only text with no leading blanks and at most one final newline
  if (/^[\n\t ]/.test(value)) throw new Declined();
  const body = value.endsWith('\n') ? value.slice(0, -1) : value;
  if (/[\n\t ]$/.test(body)) throw new Declined();
  return `|${body === value ? '-' : ''}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}

function flowScalar(value: Value): string {
  if (typeof value !== 'string') return otherScalar(value);
  if (CONTROL.test(value) || DOCUMENT_MARKER.test(value) || value.includes('\n')) throw new Declined();
  return singleLine(value, true);
}

function singleLine(value: string, inFlow: boolean): string {
  if ((inFlow && FLOW_INDICATOR.test(value)) || NOT_PLAIN.test(value) || OTHER_TYPES.some((tag) => tag.test!.test(value))) {
    // the stringifier's quotedString: single quotes only for text with double quotes and no single ones
    return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
  }
  return value;
}

function otherScalar(value: Value): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  throw new Declined();
}
