/**
 * `upstream update`'s domain: the three-way rebase of our files over each environment's new
 * upstream, the shadowed defaults left over, and the writes (vendored files, rebased overlays, lock).
 */
import { join } from 'node:path';
import { findShadowedDefaults, mergeUpstream, type ShadowFinding } from '../analysis/shadow/index.js';
import { cachingReader, createMergeCache, type SourceFile } from '../rules/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { LOCK_FILE_PATH, renderLockFile, type LockedRuleset, type UpstreamLock } from './lock-file.js';
import { rebaseOverlay, type Conflict, type Rewrite } from './rebase-overlay.js';

/** One environment's layer files: upstream at the locked version (base) and at the new one (theirs), and ours. */
export interface EnvironmentStack {
  environment: string;
  base: SourceFile[];
  theirs: SourceFile[];
  ours: SourceFile[];
}

export interface UpdatePlan {
  findings: ShadowFinding[];
  rewrites: (Rewrite & { file: string })[];
  conflicts: (Conflict & { file: string })[];
  /** Our files the rebase rewrote: path to new text. */
  edits: Map<string, string>;
}

/** The rebase (when asked) of our files, then the shadowed defaults computed on the files as they will be written. */
export function planUpdate(stacks: readonly EnvironmentStack[], options: { rebase: boolean }): UpdatePlan {
  const read = cachingReader();
  const mergeCache = createMergeCache();
  const plan: UpdatePlan = { findings: [], rewrites: [], conflicts: [], edits: new Map() };
  const done = new Set<string>();
  for (const s of options.rebase ? stacks : []) {
    const base = mergeUpstream(s.base.map(read), mergeCache);
    const theirs = mergeUpstream(s.theirs.map(read), mergeCache);
    for (const file of s.ours) {
      if (done.has(file.path)) continue;
      done.add(file.path);
      const r = rebaseOverlay(file.text, base, theirs);
      plan.rewrites.push(...r.rewrites.map((x) => ({ ...x, file: file.path })));
      plan.conflicts.push(...r.conflicts.map((x) => ({ ...x, file: file.path })));
      if (r.text !== file.text) plan.edits.set(file.path, r.text);
    }
  }
  for (const s of stacks) {
    const ours = s.ours.map((f) => read({ path: f.path, text: plan.edits.get(f.path) ?? f.text }));
    plan.findings.push(...findShadowedDefaults({ base: s.base.map(read), theirs: s.theirs.map(read), ours, environment: s.environment, mergeCache }));
  }
  return plan;
}

/** Writes the new vendored upstream files, our rebased files, then the lock (last, so an interrupted update leaves the old pin). */
export async function writeUpdate(
  root: string,
  pulls: readonly { entry: LockedRuleset; text: string }[],
  edits: ReadonlyMap<string, string>,
  lock: UpstreamLock,
): Promise<void> {
  for (const p of pulls) await writeFileAtomic(join(root, p.entry.file), p.text);
  for (const [path, text] of edits) await writeFileAtomic(join(root, path), text);
  await writeFileAtomic(join(root, LOCK_FILE_PATH), renderLockFile(lock));
}
