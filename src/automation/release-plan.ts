/** Which environments a release publishes, at which version: a pure function of the release tags and the diff since the last one. */
import semver from 'semver';
import { nextVersion, type Bump } from '../analysis/diff/index.js';

/** A release tag `<env>/v<version>` and the version it names. */
export interface ReleaseTag {
  tag: string;
  version: string;
}

export type ReleaseDecision =
  | { environment: string; action: 'publish'; version: string; previous: ReleaseTag | null; bump: Bump; reason: string }
  | { environment: string; action: 'skip'; previous: ReleaseTag; reason: string };

export interface ReleaseInput {
  environment: string;
  /** The version environment.yaml declares. */
  declaredVersion: string;
  previous: ReleaseTag | null;
  /** The effective changes since `previous` and the bump they imply. */
  changes: number;
  bump: Bump;
}

export function releaseTagName(environment: string, version: string): string {
  return `${environment}/v${version}`;
}

/** The highest-versioned `<env>/v<semver>` tag among `tags`; others (other environments, non-semver) are ignored. */
export function latestReleaseTag(environment: string, tags: readonly string[]): ReleaseTag | null {
  const prefix = `${environment}/v`;
  let best: ReleaseTag | null = null;
  for (const tag of tags) {
    if (!tag.startsWith(prefix)) continue;
    const version = semver.valid(tag.slice(prefix.length));
    if (version === null) continue;
    if (best === null || semver.gt(version, best.version)) best = { tag, version };
  }
  return best;
}

/**
 * First release: the declared version. Unchanged since the last tag: skip. Changed: the last
 * version bumped as the diff says (at least a patch, as any effective change must reach nodes),
 * or the declared version when a maintainer raised it further by hand.
 */
export function decideRelease(input: ReleaseInput): ReleaseDecision {
  const { environment, previous } = input;
  if (previous === null) {
    return { environment, action: 'publish', version: input.declaredVersion, previous, bump: input.bump, reason: 'first release' };
  }
  if (input.changes === 0) return { environment, action: 'skip', previous, reason: `no effective change since ${previous.tag}` };
  const bump: Bump = input.bump === 'none' ? 'patch' : input.bump;
  const computed = nextVersion(previous.version, bump);
  const declared = semver.valid(input.declaredVersion);
  const version = declared !== null && semver.gt(declared, computed) ? declared : computed;
  const why = version === computed ? `${input.changes} change(s) since ${previous.tag}, ${bump}` : `declared ${declared} is above the computed ${computed}`;
  return { environment, action: 'publish', version, previous, bump, reason: why };
}
