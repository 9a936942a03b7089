import type { CompiledRuleset, RulesFile, SourceFile } from './model.js';
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
  return compileRuleset(mergeRulesFiles(parsed, { ...options, engineVersion }), { ...options, target });
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
