import type { Diagnostic } from '../diagnostics/index.js';
import type { CompiledRuleset, RulesFile, SourceFile } from './model.js';
import { CompileCache } from './compile-cache.js';
import { readRulesFile } from './read-rules-file.js';
import { mergeRulesFiles, type MergeOptions } from './merge-rules-files.js';
import { compileRuleset, type CompileOptions } from './compile-ruleset.js';
import { defaultTarget } from '../targets/target.js';
import { semanticsOf } from '../targets/semantics.js';

export interface LoadOptions extends MergeOptions, CompileOptions {
  /** Reads a file; pass a caching reader so files shared by many rulesets are parsed once. */
  read?: (source: SourceFile) => RulesFile;
}

/** Loads files in order into one engine, as `falco -r a.yaml -r b.yaml` does: read, merge, compile. */
export function loadRules(files: SourceFile[], options: LoadOptions = {}): CompiledRuleset {
  const read = options.read ?? readRulesFile;
  const parsed = files.map((f) => read(f));
  const target = options.target ?? semanticsOf(defaultTarget());
  const engineVersion = options.engineVersion ?? target.engineVersion;
  const isKnownField = options.isKnownField ?? target.isKnownField;
  return compileRuleset(mergeRulesFiles(parsed, { ...options, engineVersion, isKnownField }), { ...options, target });
}

/** A reader that parses each distinct (path, text) once per cache. */
export function cachingReader(): (source: SourceFile) => RulesFile {
  const cache = new Map<string, RulesFile>();
  return (source) => {
    const key = `${source.path}\u0000${source.text}`;
    let file = cache.get(key);
    if (!file) {
      file = readRulesFile(source);
      cache.set(key, file);
    }
    return file;
  };
}

/**
 * `falco -r a.yaml -r b.yaml` as Falco runs it: the engine compiles after each file, so a warning or
 * error of an intermediate state (a macro unused until a later file) is reported too, once; loading
 * stops at the first state with an error. The result is the last state compiled.
 */
export function loadRulesPerFile(files: SourceFile[], options: LoadOptions = {}): CompiledRuleset {
  const shared: LoadOptions = { ...options, read: options.read ?? cachingReader(), cache: options.cache ?? new CompileCache() };
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  let last: CompiledRuleset | undefined;
  for (let k = 1; k <= files.length; k++) {
    last = loadRules(files.slice(0, k), shared);
    for (const d of last.diagnostics) {
      const key = JSON.stringify([d.code, d.severity, d.itemType, d.itemName, d.message, d.location]);
      if (!seen.has(key) && seen.add(key)) diagnostics.push(d);
    }
    if (!last.ok) break;
  }
  const result = last ?? loadRules([], shared);
  return { ...result, diagnostics };
}
