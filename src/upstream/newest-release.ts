/** Which tag of an upstream artifact repository is its newest release: pure, over the tag names. */
import semver from 'semver';

export interface ReleaseStatus {
  name: string;
  /** The pinned version, or null when nothing is pinned yet. */
  current: string | null;
  /** The newest release tag, as written in the repository; null when it has none. */
  newest: string | null;
  updateAvailable: boolean;
}

/**
 * The newest tag that is a full semver version (`4.0.0`, not the floating `4.0`, `4` or `latest`);
 * pre-releases only when asked for. A leading `v` is accepted, and the tag is returned as written.
 */
export function newestRelease(tags: Iterable<string>, options: { prerelease: boolean }): string | null {
  let best: { tag: string; version: semver.SemVer } | null = null;
  for (const tag of tags) {
    const version = semver.parse(tag);
    if (version === null || version.build.length > 0) continue;
    if (version.prerelease.length > 0 && !options.prerelease) continue;
    if (best === null || semver.gt(version, best.version) || (semver.eq(version, best.version) && tag < best.tag)) best = { tag, version };
  }
  return best?.tag ?? null;
}

/** Whether `newest` is an update over `current`: newer by semver, or different when `current` is not a version. */
export function releaseStatus(name: string, current: string | null, newest: string | null): ReleaseStatus {
  const pinned = current === null ? null : semver.parse(current);
  const updateAvailable = newest !== null && (pinned === null ? newest !== current : semver.gt(newest, pinned));
  return { name, current, newest, updateAvailable };
}
