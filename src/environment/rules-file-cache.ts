import { createHash } from 'node:crypto';
import type { RepositoryReader } from '../config/index.js';
import { createCompileCache, createMergeCache, readRulesFile, type CompileCache, type MergeCache, type RulesFile, type SourceFile } from '../rules/index.js';

/** Parse once per invocation: every environment sharing a file gets the same RulesFile. */
export interface RulesFileCache {
  /** The file's text (read once), or undefined if it does not exist. */
  source(path: string): (SourceFile & { sha256: string }) | undefined;
  /** The repository through this cache: each file read, each folder listed and each path checked once, however many environments name it. */
  readonly reader: RepositoryReader;
  /** The parsed file, keyed by path and the sha256 of its content (taken from `source` when it has one). */
  read(source: SourceFile & { sha256?: string }): RulesFile;
  /** How many times a file was actually parsed. */
  parseCount(): number;
  /** Shared by every environment's compile: unchanged conditions, macros and rules are compiled once. */
  readonly compile: CompileCache;
  /** Shared by every environment's merge: a run of files that starts several environments is merged once. */
  readonly merge: MergeCache;
}

/** Parses a rules file, given with its sha256 when known; the CLI passes one that keeps parsed files on disk (src/files/parse-cache.ts). */
export type ParseRulesFile = (source: SourceFile & { sha256?: string }) => RulesFile;

/**
 * `sharing`, when given, is another revision's cache: texts are read from `reader`, but parsed
 * files, the parser and the compile and merge caches are shared, so a file equal in both revisions
 * is parsed once.
 */
export function createRulesFileCache(reader: RepositoryReader, sharing?: RulesFileCache, parse?: ParseRulesFile): RulesFileCache {
  const texts = new Map<string, (SourceFile & { sha256: string }) | undefined>();
  const parsed = sharing ? parsedFiles.get(sharing)! : new Map<string, RulesFile>();
  const parseFile = parse ?? (sharing && parsers.get(sharing)) ?? readRulesFile;
  let parses = 0;
  const source = (path: string) => {
    if (!texts.has(path)) {
      const text = reader.readText(path);
      texts.set(path, text === undefined ? undefined : { path, text, sha256: sha256Hex(text) });
    }
    return texts.get(path);
  };
  const listings = new Map<string, string[]>();
  const refusals = new Map<string, string | undefined>();
  const refusal = reader.refusal?.bind(reader);
  const memoReader: RepositoryReader = {
    readText: (path) => source(path)?.text,
    listFiles: (dir) => {
      if (!listings.has(dir)) listings.set(dir, reader.listFiles(dir));
      return listings.get(dir)!;
    },
    ...(refusal
      ? {
          refusal: (path: string) => {
            if (!refusals.has(path)) refusals.set(path, refusal(path));
            return refusals.get(path);
          },
        }
      : {}),
  };
  const cache: RulesFileCache = {
    source,
    reader: memoReader,
    read(source) {
      const sha256 = source.sha256 ?? sha256Hex(source.text);
      const key = `${source.path}\u0000${sha256}`;
      const cached = parsed.get(key);
      if (cached) return cached;
      const file: RulesFile = parseFile({ path: source.path, text: source.text, sha256 });
      parses += 1;
      parsed.set(key, file);
      return file;
    },
    parseCount: () => parses,
    compile: sharing?.compile ?? createCompileCache(),
    merge: sharing?.merge ?? createMergeCache(),
  };
  parsedFiles.set(cache, parsed);
  parsers.set(cache, parseFile);
  return cache;
}

const parsedFiles = new WeakMap<RulesFileCache, Map<string, RulesFile>>();
const parsers = new WeakMap<RulesFileCache, ParseRulesFile>();

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** sha256Hex of the pieces' concatenation, without making it. */
export function sha256OfPieces(pieces: readonly string[]): string {
  const hash = createHash('sha256');
  for (const piece of pieces) hash.update(piece);
  return hash.digest('hex');
}
