/**
 * The semver bump a change implies, mirroring the checker falcosecurity/rules runs on every PR
 * (build/checker/cmd/compare.go: compareRulesMajor, compareRulesMinor, compareRulesPatch).
 * Where the checker is silent (a compiled condition, description or macro text that changed with
 * no other effect) we say patch: the rules behave differently, so the artifact must change.
 */
import semver from 'semver';
import { PRIORITIES } from '../../rules/index.js';
import type { Bump, DiffChange, RulesetDiff } from './ruleset-diff.js';

export interface BumpReason {
  bump: Exclude<Bump, 'none'>;
  message: string;
}

/** Every reason a change gives, in the checker's words. */
export function bumpReasons(change: DiffChange): BumpReason[] {
  const major = (message: string): BumpReason => ({ bump: 'major', message });
  const minor = (message: string): BumpReason => ({ bump: 'minor', message });
  const patch = (message: string): BumpReason => ({ bump: 'patch', message });
  switch (change.kind) {
    case 'rule-removed':
      return [major(`Rule \`${change.rule}\` has been removed`)];
    case 'macro-removed':
      return [major(`Macro \`${change.macro}\` has been removed`)];
    case 'list-removed':
      return [major(`List \`${change.list}\` has been removed`)];
    case 'rule-source-changed':
      return [major(`Rule \`${change.rule}\` has different source (before='${change.before}', after='${change.after}')`)];
    case 'rule-disabled':
      return [major(`Rule \`${change.rule}\` has been disabled at default`)];
    case 'macro-events-changed': {
      // The checker calls any change of a macro's events major, because other rulesets may build on
      // the macro. An environment artifact is the end of that chain, and overriding a user_known_*
      // hook is the designed way to tune, so a macro is judged like a rule: fewer events is major,
      // more events is patch (each rule it reaches is classified on its own as well).
      const out: BumpReason[] = [];
      if (change.lost.length > 0) out.push(major(`Macro \`${change.macro}\` matches less events than before`));
      if (change.gained.length > 0) out.push(patch(`Macro \`${change.macro}\` matches more events than before`));
      return out;
    }
    case 'plugin-alternative-removed':
      return [major(`Version dependency alternative to plugin \`${change.plugin}\` has removed`)];
    case 'rule-added':
      return [minor(`Rule \`${change.rule}\` has been added`)];
    case 'macro-added':
      return [minor(`Macro \`${change.macro}\` has been added`)];
    case 'list-added':
      return [minor(`List \`${change.list}\` has been added`)];
    case 'plugin-requirement-added':
      return [minor(`Version dependency to plugin \`${change.plugin}\` has added`)];
    case 'plugin-version-incremented':
      return [minor(`Version dependency to plugin \`${change.plugin}\` has been incremented`)];
    case 'engine-version-changed': {
      const cmp = compareEngine(change.before, change.after);
      if (cmp < 0) return [minor(`Required engine version was incremented from ${change.before ?? 'none'} to ${change.after ?? 'none'}`)];
      if (cmp > 0) return [patch(`Required engine version was decremented from ${change.before ?? 'none'} to ${change.after ?? 'none'}`)];
      return [];
    }
    case 'rule-events-changed': {
      const out: BumpReason[] = [];
      if (change.lost.length > 0) out.push(major(`Rule \`${change.rule}\` matches less events than before`));
      if (change.gained.length > 0) out.push(patch(`Rule \`${change.rule}\` matches more events than before`));
      return out;
    }
    case 'rule-tags-changed': {
      const out: BumpReason[] = [];
      if (change.removed.length > 0) out.push(major(`Rule \`${change.rule}\` has less tags than before`));
      if (change.added.length > 0) out.push(patch(`Rule \`${change.rule}\` has more tags than before`));
      return out;
    }
    case 'rule-priority-changed':
      return urgency(change.after) < urgency(change.before)
        ? [major(`Rule \`${change.rule}\` has a less urgent priority than before`)]
        : [patch(`Rule \`${change.rule}\` has a more urgent priority than before`)];
    case 'rule-enabled':
      return [patch(`Rule \`${change.rule}\` has been enabled at default`)];
    case 'rule-output-changed':
      return change.fieldsAdded.length + change.fieldsRemoved.length > 0
        ? [patch(`Rule \`${change.rule}\` changed its output fields`)]
        : [patch(`Rule \`${change.rule}\` changed its output`)];
    case 'rule-exceptions-changed':
      return [patch(`Rule '${change.rule}' has some exceptions added or removed`)];
    case 'list-items-changed':
      return [patch(`List \`${change.list}\` has some item added or removed`)];
    case 'plugin-requirement-removed':
      return [patch(`Version dependency to plugin \`${change.plugin}\` has removed`)];
    case 'plugin-version-decremented':
      return [patch(`Version dependency to plugin \`${change.plugin}\` has been decremented`)];
    case 'plugin-alternative-added':
      return [patch(`Version dependency alternative to plugin \`${change.plugin}\` has added`)];
    case 'rule-condition-changed':
      return [patch(`Rule \`${change.rule}\` changed its compiled condition`)];
    case 'macro-changed':
      return [patch(`Macro \`${change.macro}\` changed its condition`)];
    case 'rule-description-changed':
      return [patch(`Rule \`${change.rule}\` changed its description`)];
    default:
      return unreachable(change);
  }
}

const ORDER: Bump[] = ['none', 'patch', 'minor', 'major'];

/** The largest bump any change implies. */
export function classifyBump(diff: RulesetDiff): Bump {
  let bump: Bump = 'none';
  for (const change of diff.changes) {
    for (const reason of bumpReasons(change)) if (ORDER.indexOf(reason.bump) > ORDER.indexOf(bump)) bump = reason.bump;
  }
  return bump;
}

/** The version after `current` for a bump; `current` itself for none. Throws on a version that is not semver (a bug upstream of here). */
export function nextVersion(current: string, bump: Bump): string {
  const parsed = semver.parse(current);
  if (!parsed) throw new Error(`not a semantic version: '${current}'`);
  if (bump === 'none') return parsed.version;
  return parsed.inc(bump).version;
}

/** Higher is more urgent: Emergency is the most urgent. */
function urgency(p: (typeof PRIORITIES)[number]): number {
  return PRIORITIES.length - PRIORITIES.indexOf(p);
}

function compareEngine(a: string | null, b: string | null): number {
  const va = semver.coerce(a ?? '0.0.0');
  const vb = semver.coerce(b ?? '0.0.0');
  return va && vb ? semver.compare(va, vb) : 0;
}

function unreachable(value: never): never {
  throw new Error(`unexpected change: ${JSON.stringify(value)}`);
}
