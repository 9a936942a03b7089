/** Per environment, the effective difference between two revisions (computed by `diffEnvironments` in src/environment). */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { Bump, RulesetDiff } from './ruleset-diff.js';

export interface EnvironmentDiff {
  environment: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  diff: RulesetDiff;
  bump: Bump;
  /** The version the head configuration declares (base's for a removed environment). */
  currentVersion: string | null;
  /** The version the bump suggests from currentVersion. */
  suggestedVersion: string | null;
  /** Whether Falco would load each side. */
  baseLoads: boolean;
  headLoads: boolean;
  /** sha256 of the rules file each side renders to (without its header, which names the environment); null for a side that does not exist. */
  rulesDigest: { base: string | null; head: string | null };
  /** The head's errors: layers that do not resolve, and rules Falco would refuse. */
  diagnostics: Diagnostic[];
}

export interface DiffEnvironmentsResult {
  environments: EnvironmentDiff[];
  /** Configuration problems on either side. */
  diagnostics: Diagnostic[];
}

/**
 * Environments that ended up identical, in order of their first member: the same status, version,
 * and rules file on each side (so the same changes). Clusters of one template that differ only by
 * name fall into one group; every other environment is a group of one.
 */
export function groupIdentical(environments: readonly EnvironmentDiff[]): EnvironmentDiff[][] {
  const groups = new Map<string, EnvironmentDiff[]>();
  for (const e of environments) {
    const key = JSON.stringify([e.status, e.currentVersion, e.suggestedVersion, e.headLoads, e.rulesDigest.base, e.rulesDigest.head]);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

/** A group's name for tables and headings: `a, b (identical)` for several, the name for one. */
export function groupLabel(group: readonly EnvironmentDiff[]): string {
  return group.length === 1 ? group[0].environment : `${group.map((e) => e.environment).join(', ')} (identical)`;
}
