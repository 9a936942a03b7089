/**
 * The reader's general path: the node tree of a composed `yaml` Document, for files the CST path leaves
 * alone (anchors and aliases, tags, directives, errors). Aliases stay aliases; the reader follows them
 * under its expansion budget.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { NO_OFFSET, scalarNode, type YDocument, type YNode, type YPair } from './yaml-tree.js';

export function documentTree(doc: Document.Parsed): YDocument {
  const converted = new Map<Node, YNode>();
  const convert = (node: Node | null | undefined): YNode | null => {
    if (!node) return null;
    const known = converted.get(node);
    if (known) return known;
    const offset = node.range ? node.range[0] : NO_OFFSET;
    let out: YNode | null;
    if (isScalar(node)) {
      const value = node.value;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- core-schema scalars: strings, numbers, booleans, null
      const text = typeof value === 'string' ? value : String(value ?? '');
      out = scalarNode(text, node.type === 'PLAIN' && node.tag === undefined, offset);
    } else if (isSeq(node)) {
      out = { kind: 'seq', items: (node.items as (Node | null)[]).map(convert), offset };
    } else if (isMap(node)) {
      const pairs: YPair[] = (node.items).map((pair) => ({ key: convert(pair.key as Node | null), value: convert(pair.value as Node | null) }));
      out = { kind: 'map', pairs, offset };
    } else if (isAlias(node)) {
      out = {
        kind: 'alias',
        offset,
        resolve: () => {
          const target = node.resolve(doc) as Node | undefined;
          return target ? (convert(target) ?? undefined) : undefined;
        },
      };
    } else {
      out = null;
    }
    if (out) converted.set(node, out);
    return out;
  };
  return { offset: doc.range[0], contents: convert(doc.contents) };
}
