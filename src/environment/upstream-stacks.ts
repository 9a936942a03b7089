/** What `upstream check` and `upstream update` compare: per environment, upstream files (base and new) and ours. */
import { loadRepositoryConfig, resolveLayers, type RepositoryReader } from '../config/index.js';
import { formatDiagnostic } from '../diagnostics/index.js';
import type { EnvironmentStack, UpstreamLock } from '../upstream/index.js';
import { selectEnvironments } from './load-environment.js';

export type UpstreamStacks = { ok: true; stacks: EnvironmentStack[] } | { ok: false; message: string; usage?: boolean };

/**
 * Each selected environment's layers, in load order, split into the locked upstream files (as
 * they are, and with upstream's new text where `newTexts` has one) and ours. Environments are
 * selected as every command selects them (a template's name stands for its clusters).
 */
export function upstreamStacks(
  reader: RepositoryReader,
  lock: UpstreamLock,
  newTexts: ReadonlyMap<string, string>,
  only: readonly string[] = [],
): UpstreamStacks {
  const loaded = loadRepositoryConfig(reader);
  if (!loaded.config) return { ok: false, message: ['invalid repository configuration', ...loaded.diagnostics.map(formatDiagnostic)].join('\n') };
  const selection = selectEnvironments(loaded.config, only);
  if (!selection.ok) return { ok: false, message: selection.message, usage: true };
  const byFile = new Map(lock.rulesets.map((r) => [r.file, r]));
  const stacks: EnvironmentStack[] = [];
  for (const env of selection.environments) {
    const layers = resolveLayers(env, reader);
    if (layers.diagnostics.length > 0) return { ok: false, message: layers.diagnostics.map(formatDiagnostic).join('\n') };
    const stack: EnvironmentStack = { environment: env.name, base: [], theirs: [], ours: [] };
    for (const path of layers.files) {
      const text = reader.readText(path) ?? '';
      const locked = byFile.get(path);
      if (!locked) {
        stack.ours.push({ path, text });
        continue;
      }
      stack.base.push({ path, text });
      stack.theirs.push({ path, text: newTexts.get(locked.name) ?? text });
    }
    stacks.push(stack);
  }
  return { ok: true, stacks };
}
