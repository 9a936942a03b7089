import { describe, expect, it } from 'vitest';
import { bumpReasons, classifyBump, nextVersion, type DiffChange } from '../../../src/analysis/diff/index.js';

// One row per classification rule of falcosecurity/rules' checker (build/checker/cmd/compare.go),
// plus the patch-level changes the checker does not see.
const TABLE: [DiffChange, 'major' | 'minor' | 'patch', string][] = [
  [{ kind: 'rule-removed', rule: 'R' }, 'major', 'Rule `R` has been removed'],
  [{ kind: 'macro-removed', macro: 'm' }, 'major', 'Macro `m` has been removed'],
  [{ kind: 'list-removed', list: 'l' }, 'major', 'List `l` has been removed'],
  [
    { kind: 'rule-source-changed', rule: 'R', before: 'syscall', after: 'k8s_audit' },
    'major',
    "Rule `R` has different source (before='syscall', after='k8s_audit')",
  ],
  [{ kind: 'rule-disabled', rule: 'R' }, 'major', 'Rule `R` has been disabled at default'],
  [{ kind: 'rule-events-changed', rule: 'R', gained: [], lost: ['open'] }, 'major', 'Rule `R` matches less events than before'],
  [{ kind: 'rule-tags-changed', rule: 'R', added: [], removed: ['host'] }, 'major', 'Rule `R` has less tags than before'],
  [{ kind: 'rule-priority-changed', rule: 'R', before: 'Critical', after: 'Warning' }, 'major', 'Rule `R` has a less urgent priority than before'],
  [{ kind: 'macro-events-changed', macro: 'm', gained: ['execveat'], lost: [] }, 'patch', 'Macro `m` matches more events than before'],
  [{ kind: 'macro-events-changed', macro: 'm', gained: [], lost: ['execve'] }, 'major', 'Macro `m` matches less events than before'],
  [{ kind: 'plugin-alternative-removed', plugin: 'k8saudit-eks' }, 'major', 'Version dependency alternative to plugin `k8saudit-eks` has removed'],
  [{ kind: 'rule-added', rule: 'R' }, 'minor', 'Rule `R` has been added'],
  [{ kind: 'macro-added', macro: 'm' }, 'minor', 'Macro `m` has been added'],
  [{ kind: 'list-added', list: 'l' }, 'minor', 'List `l` has been added'],
  [{ kind: 'engine-version-changed', before: '0.26.0', after: '0.31.0' }, 'minor', 'Required engine version was incremented from 0.26.0 to 0.31.0'],
  [{ kind: 'plugin-requirement-added', plugin: 'json' }, 'minor', 'Version dependency to plugin `json` has added'],
  [
    { kind: 'plugin-version-incremented', plugin: 'json', before: '0.7.0', after: '0.8.0' },
    'minor',
    'Version dependency to plugin `json` has been incremented',
  ],
  [{ kind: 'engine-version-changed', before: '0.31.0', after: '0.26.0' }, 'patch', 'Required engine version was decremented from 0.31.0 to 0.26.0'],
  [{ kind: 'rule-enabled', rule: 'R' }, 'patch', 'Rule `R` has been enabled at default'],
  [{ kind: 'rule-events-changed', rule: 'R', gained: ['execve'], lost: [] }, 'patch', 'Rule `R` matches more events than before'],
  [{ kind: 'rule-tags-changed', rule: 'R', added: ['mitre_execution'], removed: [] }, 'patch', 'Rule `R` has more tags than before'],
  [{ kind: 'rule-priority-changed', rule: 'R', before: 'Warning', after: 'Critical' }, 'patch', 'Rule `R` has a more urgent priority than before'],
  [
    { kind: 'rule-output-changed', rule: 'R', before: 'a %proc.name', after: 'a %proc.name %user.name', fieldsAdded: ['user.name'], fieldsRemoved: [] },
    'patch',
    'Rule `R` changed its output fields',
  ],
  [
    { kind: 'rule-output-changed', rule: 'R', before: 'a %proc.name', after: 'b %proc.name', fieldsAdded: [], fieldsRemoved: [] },
    'patch',
    'Rule `R` changed its output',
  ],
  [{ kind: 'rule-exceptions-changed', rule: 'R', added: ['known'], removed: [], changed: [] }, 'patch', "Rule 'R' has some exceptions added or removed"],
  [{ kind: 'list-items-changed', list: 'l', added: ['x'], removed: [] }, 'patch', 'List `l` has some item added or removed'],
  [{ kind: 'plugin-requirement-removed', plugin: 'json' }, 'patch', 'Version dependency to plugin `json` has removed'],
  [
    { kind: 'plugin-version-decremented', plugin: 'json', before: '0.8.0', after: '0.7.0' },
    'patch',
    'Version dependency to plugin `json` has been decremented',
  ],
  [{ kind: 'plugin-alternative-added', plugin: 'k8saudit-gke' }, 'patch', 'Version dependency alternative to plugin `k8saudit-gke` has added'],
  [{ kind: 'rule-condition-changed', rule: 'R', before: 'a', after: 'b' }, 'patch', 'Rule `R` changed its compiled condition'],
  [{ kind: 'macro-changed', macro: 'm', before: 'a', after: 'b' }, 'patch', 'Macro `m` changed its condition'],
  [{ kind: 'rule-description-changed', rule: 'R' }, 'patch', 'Rule `R` changed its description'],
];

describe('semver classification (falcosecurity/rules checker)', () => {
  it.each(TABLE)('%j is %s', (change, bump, message) => {
    expect(bumpReasons(change)).toEqual([{ bump, message }]);
    expect(classifyBump({ changes: [change] })).toBe(bump);
  });

  it('a rule that gains some events and loses others is both major and patch, so major', () => {
    const change: DiffChange = { kind: 'rule-events-changed', rule: 'R', gained: ['openat2'], lost: ['open'] };
    expect(bumpReasons(change).map((r) => r.bump)).toEqual(['major', 'patch']);
    expect(classifyBump({ changes: [change] })).toBe('major');
  });

  it('takes the largest bump of all changes, and none for no change', () => {
    expect(classifyBump({ changes: [] })).toBe('none');
    expect(
      classifyBump({
        changes: [
          { kind: 'list-items-changed', list: 'l', added: ['x'], removed: [] },
          { kind: 'rule-added', rule: 'R' },
        ],
      }),
    ).toBe('minor');
  });

  it('an unchanged engine version gives no reason', () => {
    expect(bumpReasons({ kind: 'engine-version-changed', before: '0.26.0', after: '0.26.0' })).toEqual([]);
  });
});

describe('nextVersion', () => {
  it.each([
    ['1.6.2', 'major', '2.0.0'],
    ['1.6.2', 'minor', '1.7.0'],
    ['1.6.2', 'patch', '1.6.3'],
    ['1.6.2', 'none', '1.6.2'],
    ['0.3.1', 'minor', '0.4.0'],
    ['2.0.0-rc.1', 'patch', '2.0.0'],
  ] as const)('%s + %s = %s', (current, bump, next) => {
    expect(nextVersion(current, bump)).toBe(next);
  });
});
