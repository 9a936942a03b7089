import picomatch from 'picomatch';
import type { Diagnostic } from '../diagnostics/index.js';
import { sortPaths } from './compare-paths.js';
import { CLUSTERS_DIR, CONFIG_FILE, ENVIRONMENT_FILE, ENVIRONMENTS_DIR, type EnvironmentConfig, type LayerSpec, type RepositoryReader } from './model.js';

export interface ResolvedLayers {
  /** Rules files in load order; each file once, at its first layer. */
  files: string[];
  diagnostics: Diagnostic[];
}

/** Expands an environment's layers to rules files: globs sorted byte-wise, config and lock files left out. */
export function resolveLayers(environment: EnvironmentConfig, reader: RepositoryReader): ResolvedLayers {
  const files: string[] = [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const layer of environment.layers) {
    const resolved = resolveLayer(layer, reader);
    if ('error' in resolved) {
      diagnostics.push({ code: 'CONFIG_ERROR', severity: 'error', itemType: 'layer', itemName: layer.pattern, message: resolved.error, location: layer.loc });
      continue;
    }
    for (const file of resolved.files) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push(file);
    }
  }
  return { files, diagnostics };
}

function resolveLayer(layer: LayerSpec, reader: RepositoryReader): { files: string[] } | { error: string } {
  const pattern = layer.pattern.replace(/^\.\//, '');
  if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split('/').includes('..')) {
    return { error: `layer '${layer.pattern}' must be a path relative to the repository root, inside it` };
  }
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) {
    const refused = reader.refusal?.(pattern);
    if (refused !== undefined) return { error: `layer '${layer.pattern}' is refused: ${refused}` };
    if (reader.readText(pattern) === undefined) return { error: `layer '${layer.pattern}' names a file that does not exist` };
    if (!isRulesFile(pattern)) return { error: `layer '${layer.pattern}' is not a rules file (.yaml or .yml, not a config or lock file)` };
    return { files: [pattern] };
  }
  const isMatch = picomatch(pattern);
  const listed = reader.listFiles(scan.base);
  // A folder link leaving the repository is refused whatever is in it: its files are not listed.
  for (const p of listed) {
    const reaches = p.endsWith('/') || (isMatch(p) && isRulesFile(p));
    const refused = reaches ? reader.refusal?.(p.replace(/\/$/, '')) : undefined;
    if (refused !== undefined) return { error: `layer glob '${layer.pattern}' is refused: ${refused}` };
  }
  const matched = listed.filter((p) => isMatch(p) && isRulesFile(p));
  if (matched.length === 0) return { error: `layer glob '${layer.pattern}' matches no rules file` };
  return { files: sortPaths(matched) };
}

/** A file Falco would load: .yaml/.yml, and not one of our config or lock files. */
function isRulesFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (!/\.ya?ml$/.test(base)) return false;
  const parts = path.split('/');
  if (parts.length === 4 && parts[0] === ENVIRONMENTS_DIR && parts[2] === CLUSTERS_DIR) return false;
  return base !== ENVIRONMENT_FILE && base !== CONFIG_FILE && !/\.lock\.ya?ml$/.test(base);
}
