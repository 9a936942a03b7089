import semver from 'semver';

const STABLE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export interface TagPlan {
  /** The exact version tag, always pushed. */
  version: string;
  /** Floating tags to point at this version, in push order: MAJOR.MINOR, MAJOR, latest. */
  floating: string[];
  /** Floating tags left alone because a newer version holds them, with that version. */
  held: { tag: string; by: string }[];
}

/**
 * Which tags a publish of `version` moves, given the tags already in the repository. A floating
 * tag moves only when no existing stable version in its line is newer; pre-releases get only their
 * own tag. Existing tags that are not plain X.Y.Z versions (pre-releases, "latest", …) are ignored.
 */
export function planTags(version: string, existingTags: Iterable<string>): TagPlan {
  const plan: TagPlan = { version, floating: [], held: [] };
  const v = semver.parse(version);
  if (!v || v.prerelease.length > 0 || v.build.length > 0) return plan;
  const stable = [...existingTags].filter((t) => STABLE.test(t));
  const lines: { tag: string; inLine: (t: semver.SemVer) => boolean }[] = [
    { tag: `${v.major}.${v.minor}`, inLine: (t) => t.major === v.major && t.minor === v.minor },
    { tag: `${v.major}`, inLine: (t) => t.major === v.major },
    { tag: 'latest', inLine: () => true },
  ];
  for (const line of lines) {
    const newer = stable
      .map((t) => semver.parse(t)!)
      .filter((t) => line.inLine(t) && semver.gt(t, v))
      .sort(semver.rcompare)[0];
    if (newer) plan.held.push({ tag: line.tag, by: newer.version });
    else plan.floating.push(line.tag);
  }
  return plan;
}
