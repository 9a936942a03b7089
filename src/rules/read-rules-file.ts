/**
 * Reading one rules file as Falco's reader does (docs/falco-rules-semantics.md §1): every YAML document
 * in order, items decoded with positions, the first error stops reading. One YAML parse per file: the
 * node tree comes from the CST when the file keeps to plain rules-file YAML (yaml-cst-tree.ts), from
 * composed Documents otherwise; positions are computed only for what is stored.
 */
import { createHash } from 'node:crypto';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { YAML_TOO_DEEP, yamlNestingExcess, type Diagnostic, type Loc } from '../diagnostics/index.js';
import type { ItemBase, RulesFile, RulesItem, SourceFile } from './model.js';
import { readEngineVersion, readList, readMacro, readPluginVersions } from './decode-items.js';
import { readRule } from './decode-rule.js';
import { readCstDocuments } from './yaml-cst-tree.js';
import { documentTree } from './yaml-document-tree.js';
import { FAILED, FileScope, ItemReader, kindOf, linePos, type Failed } from './yaml-item.js';
import { NO_OFFSET, type YDocument, type YMap, type YNode } from './yaml-tree.js';

export { decodeRulesFileBytes } from './decode-bytes.js';

export interface ReadOptions {
  /** Larger texts are refused with one diagnostic instead of being parsed (default 16 MiB). */
  maxChars?: number;
  /**
   * 'auto' (default): the CST path where the file allows it, composed Documents otherwise;
   * 'document': always composed Documents. Both give the same RulesFile.
   */
  yamlPath?: 'auto' | 'document';
}

const DEFAULT_MAX_CHARS = 16 * 1024 * 1024;

export function readRulesFile(source: SourceFile, options: ReadOptions = {}): RulesFile {
  const { path, text } = source;
  const sha256 = createHash('sha256').update(text).digest('hex');
  const result: RulesFile = { path, sha256, items: [], diagnostics: [] };
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (text.length > maxChars) {
    result.diagnostics.push(
      contentError('LOAD_ERR_FILE_READ', `File is too large to load: ${text.length} characters (limit ${maxChars})`, { file: path, line: 1, column: 1 }),
    );
    return result;
  }

  const deep = yamlNestingExcess(text);
  if (deep !== null) {
    result.diagnostics.push(contentError('LOAD_ERR_YAML_PARSE', YAML_TOO_DEEP, { file: path, ...deep }));
    return result;
  }
  const parsed = parseTrees(text, path, options.yamlPath ?? 'auto');
  if ('error' in parsed) {
    result.diagnostics.push(parsed.error);
    return result;
  }
  for (const doc of parsed.docs) {
    const scope = new FileScope(path, parsed.lineStarts);
    const ok = readDocument(doc, scope, text, parsed.lineStarts, result.items);
    result.diagnostics.push(...scope.diagnostics);
    if (!ok) break;
  }
  return result;
}

type ParsedTrees = { docs: YDocument[]; lineStarts: readonly number[] } | { error: Diagnostic };

function parseTrees(text: string, path: string, yamlPath: 'auto' | 'document'): ParsedTrees {
  if (yamlPath === 'auto') {
    const docs = readCstDocuments(text);
    if (docs) return { docs, lineStarts: lineStartsOf(text) };
  }
  const lineCounter = new LineCounter();
  const parsed = parseDocuments(text, lineCounter, path);
  if ('error' in parsed) return parsed;
  return { docs: parsed.docs.map(documentTree), lineStarts: lineCounter.lineStarts };
}

/** The offset of each line's first character, as yaml's LineCounter records them for a well-formed text. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function parseDocuments(text: string, lineCounter: LineCounter, path: string): { docs: Document.Parsed[] } | { error: Diagnostic } {
  let docs: Document.Parsed[];
  try {
    // failsafe: every scalar stays a string; Falco decodes the raw text itself (§1.2)
    docs = parseAllDocuments(text, { lineCounter, schema: 'failsafe', uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (cause) {
    // The YAML library recurses per nesting level; pathological nesting exhausts the stack.
    if (cause instanceof RangeError) {
      return { error: contentError('LOAD_ERR_YAML_PARSE', 'YAML nesting is too deep to load', deepestPoint(text, path)) };
    }
    throw new Error(`YAML parser failed on ${path}`, { cause });
  }
  for (const doc of docs) {
    const first = doc.errors[0];
    if (first) {
      const loc = first.linePos?.[0] ? { file: path, line: first.linePos[0].line, column: first.linePos[0].col } : posOf(lineCounter.lineStarts, path, first.pos[0]);
      return { error: contentError('LOAD_ERR_YAML_PARSE', first.message.split('\n')[0], loc) };
    }
  }
  return { docs };
}

function readDocument(doc: YDocument, scope: FileScope, text: string, lineStarts: readonly number[], items: RulesItem[]): boolean {
  const docLoc = scope.locAt(doc.offset);
  const contents = scope.deref(doc.contents, docLoc);
  if (contents === FAILED) return false;
  const kind = kindOf(contents);
  if (kind === 'null') return true;
  const contentCtx = { type: 'rules content', name: '', loc: scope.locOf(contents, docLoc) };
  if (kind === 'scalar') return !scope.error('LOAD_ERR_YAML_VALIDATE', 'Rules content is not yaml', contentCtx);
  if (kind === 'map' || contents === null || contents.kind !== 'seq') return !scope.error('LOAD_ERR_YAML_VALIDATE', 'Rules content is not yaml array of objects', contentCtx);

  for (const raw of contents.items) {
    const node = scope.deref(raw, contentCtx.loc);
    if (node === FAILED) return false;
    if (kindOf(node) === 'null') continue;
    const loc = scope.locOf(raw, contentCtx.loc);
    if (node === null || node.kind !== 'map') {
      scope.error('LOAD_ERR_YAML_VALIDATE', 'Unexpected element type. Each element should be a yaml associative array.', { type: 'rules content item', name: '', loc });
      return false;
    }
    const item = readItem(node, scope, loc, text, lineStarts);
    if (item === FAILED) return false;
    if (item) items.push(item);
  }
  return true;
}

/** Kind by key precedence: required_engine_version > required_plugin_versions > list > macro > rule (§1.1). */
function readItem(map: YMap, scope: FileScope, loc: Loc, text: string, lineStarts: readonly number[]): RulesItem | null | Failed {
  const reader = new ItemReader(scope, map, { type: 'rules content item', name: '', loc });
  const base = itemBase(reader, loc, text, lineStarts);
  if (reader.has('required_engine_version')) return readEngineVersion(reader, base);
  if (reader.has('required_plugin_versions')) return readPluginVersions(reader, base);
  if (reader.has('list')) {
    reader.ctx = { type: 'list', name: '', loc };
    return readList(reader, base);
  }
  if (reader.has('macro')) {
    reader.ctx = { type: 'macro', name: '', loc };
    return readMacro(reader, base);
  }
  if (reader.has('rule')) {
    reader.ctx = { type: 'rule', name: '', loc };
    return readRule(reader, base);
  }
  scope.warn('LOAD_UNKNOWN_ITEM', 'Unknown top level item', reader.ctx);
  return null;
}

function itemBase(reader: ItemReader, loc: Loc, text: string, lineStarts: readonly number[]): ItemBase {
  const keyLocs: Record<string, Loc> = {};
  const valueLocs: Record<string, Loc> = {};
  for (const key of reader.pairs.keys()) {
    keyLocs[key] = reader.keyLoc(key);
    valueLocs[key] = reader.valueLoc(key);
  }
  const base: ItemBase = { loc, keyLocs, valueLocs };
  const condition = reader.pairs.get('condition')?.value;
  const column = condition ? textColumnOf(condition, text, valueLocs.condition) : undefined;
  if (column !== undefined) base.valueTextColumns = { condition: column };
  const comment = commentAbove(text, lineStarts, loc.line);
  if (comment !== undefined) base.commentBefore = comment;
  return base;
}

/**
 * The column where a scalar's text starts when each of its characters is the source character at the
 * same distance (plain, or single-quoted without `''`, on one line); undefined for any other scalar.
 */
function textColumnOf(node: YNode, source: string, at: Loc): number | undefined {
  if (node.kind !== 'scalar' || node.offset === NO_OFFSET || /[\n\r]/.test(node.text)) return undefined;
  const { text, offset } = node;
  const first = source[offset];
  if (first === "'") {
    const exact = !text.includes("'") && source.startsWith(text, offset + 1) && source[offset + 1 + text.length] === "'";
    return exact ? at.column + 1 : undefined;
  }
  if (first === '"' || first === '|' || first === '>') return undefined;
  return source.startsWith(text, offset) ? at.column : undefined;
}

/** The run of `#` comment lines directly above a line (no blank line between), without the `#`. */
function commentAbove(text: string, starts: readonly number[], line: number): string | undefined {
  const lines: string[] = [];
  for (let l = line - 1; l >= 1; l--) {
    const start = starts[l - 1];
    const end = l < starts.length ? starts[l] - 1 : text.length;
    const content = text.slice(start, end).replace(/\r$/, '').trim();
    if (!content.startsWith('#')) break;
    lines.push(content.slice(1));
  }
  return lines.length > 0 ? lines.reverse().join('\n') : undefined;
}

function posOf(lineStarts: readonly number[], file: string, offset: number): Loc {
  return { file, ...linePos(lineStarts, offset) };
}

function contentError(code: Diagnostic['code'], message: string, location: Loc): Diagnostic {
  return { code, severity: 'error', itemType: 'rules content', itemName: '', message, location };
}

/** Where flow or block nesting first gets deeper than a parser can follow (error path only). */
function deepestPoint(text: string, file: string): Loc {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 91 || c === 123) {
      if (++depth > 1000) return { file, line, column: i - lineStart + 1 };
    } else if (c === 93 || c === 125) depth--;
  }
  return { file, line: 1, column: 1 };
}
