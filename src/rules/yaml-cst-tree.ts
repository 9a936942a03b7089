/**
 * The common path of the rules reader: the node tree straight from the `yaml` CST, skipping the
 * composer (about a third of `yaml`'s parse time). It accepts only what rules files are made of —
 * block and flow sequences and maps of plain, quoted and block scalars, with comments — and checks
 * what the composer would check for those shapes. Anything else (anchors, aliases, tags, explicit or
 * complex keys, directives, tabs in indentation, error tokens, any scalar error) makes it give up, and
 * the reader composes Documents instead, so odd and hostile files behave exactly as on that path.
 */
import { CST, Parser } from 'yaml';
import { scalarNode, type YDocument, type YMap, type YNode, type YPair, type YScalar, type YSeq } from './yaml-tree.js';

/** Nesting the tree builder follows before handing the file to the composed path. */
const MAX_DEPTH = 400;

const UNSUPPORTED: unique symbol = Symbol('unsupported');
type Unsupported = typeof UNSUPPORTED;

/** Bits of what a run of separator tokens holds (resolveProps' `found`, `comma`, `hasNewline`). */
const FOUND = 1;
const COMMA = 2;
const NEWLINE = 4;

/** An implicit key must end within 1024 characters; well-formed rules keys are far shorter than this bound. */
const MAX_KEY_SPAN = 256;

/** The documents of `text`, or undefined when the text needs the composed-Document path. */
export function readCstDocuments(text: string): YDocument[] | undefined {
  let tokens: CST.Token[];
  try {
    tokens = Array.from(new Parser().parse(text));
  } catch (cause) {
    // Too deep for the parser's own recursion: the composed path reports it as the reader always has.
    if (cause instanceof RangeError) return undefined;
    throw new Error('YAML CST parser failed', { cause });
  }
  const builder = new CstTreeBuilder();
  const docs: YDocument[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'document': {
        const doc = builder.document(token);
        if (doc === UNSUPPORTED) return undefined;
        docs.push(doc);
        break;
      }
      case 'comment':
      case 'newline':
      case 'space':
      case 'byte-order-mark':
        break;
      case 'doc-end':
        if (docs.length === 0 || !endTokensOk(token.end, true)) return undefined;
        break;
      default:
        return undefined;
    }
  }
  return docs;
}

class CstTreeBuilder {
  private scalarFailed = false;
  private readonly onScalarError = (): void => {
    this.scalarFailed = true;
  };

  document(doc: CST.Document): YDocument | Unsupported {
    const props = separatorBits(doc.start, 'doc-start', false, true);
    if (props < 0) return UNSUPPORTED;
    const value = doc.value;
    if (props & FOUND && value && (value.type === 'block-map' || value.type === 'block-seq') && !(props & NEWLINE)) return UNSUPPORTED;
    if (!endTokensOk(doc.end, false)) return UNSUPPORTED;
    if (!value) return { offset: doc.offset, contents: null };
    const contents = this.node(value, 0);
    if (contents === UNSUPPORTED) return UNSUPPORTED;
    return { offset: doc.offset, contents };
  }

  private node(token: CST.Token, depth: number): YNode | Unsupported {
    if (depth > MAX_DEPTH) return UNSUPPORTED;
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.scalar(token);
      case 'block-scalar':
        for (const t of token.props) {
          if (t.type !== 'block-scalar-header' && t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment') return UNSUPPORTED;
        }
        return this.scalar(token);
      case 'block-map':
        return this.blockMap(token, depth);
      case 'block-seq':
        return this.blockSeq(token, depth);
      case 'flow-collection':
        return this.flowCollection(token, depth);
      default:
        return UNSUPPORTED;
    }
  }

  private scalar(token: CST.FlowScalar | CST.BlockScalar): YScalar | Unsupported {
    this.scalarFailed = false;
    const resolved = CST.resolveAsScalar(token, true, this.onScalarError);
    if (!resolved || this.scalarFailed) return UNSUPPORTED;
    return scalarNode(resolved.value, resolved.type === 'PLAIN', resolved.range[0]);
  }

  private blockMap(map: CST.BlockMap, depth: number): YMap | Unsupported {
    const pairs: YPair[] = [];
    const last = map.items.length - 1;
    for (let i = 0; i <= last; i++) {
      const { start, key, sep, value } = map.items[i];
      const keyProps = separatorBits(start, 'explicit-key-ind', false, true);
      if (keyProps < 0 || keyProps & FOUND) return UNSUPPORTED;
      if (!key && !sep) {
        // a run of comments after the last pair; anywhere else the composer objects
        if (value || i !== last) return UNSUPPORTED;
        continue;
      }
      if (!key || !sep || !isFlowScalar(key) || key.indent !== map.indent || containsNewline(key)) return UNSUPPORTED;
      const valueProps = separatorBits(sep, 'map-value-ind', false, false);
      if (valueProps < 0 || !(valueProps & FOUND)) return UNSUPPORTED;
      if (indicatorOffset(sep) - key.offset > MAX_KEY_SPAN) return UNSUPPORTED;
      if (value?.type === 'block-map' && !(valueProps & NEWLINE)) return UNSUPPORTED;
      const keyNode = this.scalar(key);
      if (keyNode === UNSUPPORTED) return UNSUPPORTED;
      const valueNode = value ? this.node(value, depth + 1) : emptyScalar(sep);
      if (valueNode === UNSUPPORTED) return UNSUPPORTED;
      pairs.push({ key: keyNode, value: valueNode });
    }
    return { kind: 'map', pairs, offset: map.offset };
  }

  private blockSeq(seq: CST.BlockSequence, depth: number): YSeq | Unsupported {
    const items: YNode[] = [];
    const last = seq.items.length - 1;
    for (let i = 0; i <= last; i++) {
      const { start, value } = seq.items[i];
      const props = separatorBits(start, 'seq-item-ind', false, true);
      if (props < 0) return UNSUPPORTED;
      if (!(props & FOUND)) {
        if (value || i !== last) return UNSUPPORTED;
        continue;
      }
      const node = value ? this.node(value, depth + 1) : emptyScalar(start);
      if (node === UNSUPPORTED) return UNSUPPORTED;
      items.push(node);
    }
    return { kind: 'seq', items, offset: seq.offset };
  }

  private flowCollection(fc: CST.FlowCollection, depth: number): YSeq | YMap | Unsupported {
    const isMap = fc.start.source === '{';
    if (!isMap && fc.start.source !== '[') return UNSUPPORTED;
    const items: YNode[] = [];
    const pairs: YPair[] = [];
    const last = fc.items.length - 1;
    for (let i = 0; i <= last; i++) {
      const { start, key, sep, value } = fc.items[i];
      const props = separatorBits(start, 'explicit-key-ind', true, false);
      if (props < 0 || props & FOUND) return UNSUPPORTED;
      if (!key && !sep && !value) {
        // only a trailing empty item is allowed, and never a leading comma
        if ((i === 0 && props & COMMA) || i < last) return UNSUPPORTED;
        continue;
      }
      if (i === 0 ? props & COMMA : !(props & COMMA)) return UNSUPPORTED;
      if (value && (value.type === 'block-map' || value.type === 'block-seq')) return UNSUPPORTED;
      if (!isMap) {
        if (key || sep || !value) return UNSUPPORTED;
        const node = this.node(value, depth + 1);
        if (node === UNSUPPORTED) return UNSUPPORTED;
        items.push(node);
        continue;
      }
      if (!key || !sep || !isFlowScalar(key)) return UNSUPPORTED;
      const valueProps = separatorBits(sep, 'map-value-ind', true, false);
      if (valueProps < 0 || !(valueProps & FOUND)) return UNSUPPORTED;
      const keyNode = this.scalar(key);
      if (keyNode === UNSUPPORTED) return UNSUPPORTED;
      const valueNode = value ? this.node(value, depth + 1) : emptyScalar(sep);
      if (valueNode === UNSUPPORTED) return UNSUPPORTED;
      pairs.push({ key: keyNode, value: valueNode });
    }
    const [close, ...rest] = fc.end;
    if (close?.source !== (isMap ? '}' : ']') || !endTokensOk(rest, true)) return UNSUPPORTED;
    return isMap ? { kind: 'map', pairs, offset: fc.offset } : { kind: 'seq', items, offset: fc.offset };
  }
}

function isFlowScalar(token: CST.Token): token is CST.FlowScalar {
  return token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar';
}

/**
 * resolveProps' checks for a run of separator tokens without anchors or tags: at most one indicator
 * (and one comma, in flow), comments only after white space, no tab. Returns FOUND/COMMA/NEWLINE bits,
 * or -1 when the run holds anything else.
 */
function separatorBits(tokens: readonly CST.SourceToken[], indicator: string, flow: boolean, startOnNewline: boolean): number {
  let bits = 0;
  let hasSpace = startOnNewline;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        if (token.source.includes('\t')) return -1;
        hasSpace = true;
        break;
      case 'newline':
        bits |= NEWLINE;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) return -1;
        break;
      case 'comma':
        if (!flow || bits & COMMA) return -1;
        bits |= COMMA;
        hasSpace = false;
        break;
      default:
        if (token.type !== indicator || bits & FOUND) return -1;
        bits |= FOUND;
        hasSpace = false;
    }
  }
  return bits;
}

/** resolveEnd: only blanks, newlines and comments (strictly, a comment needs a blank before it). */
function endTokensOk(tokens: readonly CST.SourceToken[] | undefined, strict: boolean): boolean {
  if (!tokens) return true;
  let hasSpace = false;
  for (const token of tokens) {
    if (token.type === 'space' || token.type === 'newline') hasSpace = true;
    else if (token.type !== 'comment' || (strict && !hasSpace)) return false;
  }
  return true;
}

function containsNewline(token: CST.FlowScalar): boolean {
  if (token.source.includes('\n')) return true;
  return token.end?.some((t) => t.type === 'newline') ?? false;
}

function indicatorOffset(tokens: readonly CST.SourceToken[]): number {
  for (const token of tokens) if (token.type === 'map-value-ind') return token.offset;
  return -1;
}

/** The empty (null) scalar after an indicator: yaml's emptyScalarPosition, placed after the blanks that follow it. */
function emptyScalar(before: readonly CST.SourceToken[]): YScalar {
  const lastToken = before[before.length - 1];
  let offset = lastToken.offset + lastToken.source.length;
  for (let i = before.length - 1; i >= 0; --i) {
    const token = before[i];
    if (token.type === 'space' || token.type === 'comment' || token.type === 'newline') {
      offset -= token.source.length;
      continue;
    }
    for (let j = i + 1; before[j]?.type === 'space'; j++) offset += before[j].source.length;
    break;
  }
  return scalarNode('', true, offset);
}
