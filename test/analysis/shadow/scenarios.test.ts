/**
 * Hand-written overlays over real upstream releases. Every expected finding below was worked out
 * by hand from the two upstream files of the pair (line numbers are where the item starts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findShadowedDefaults, type ShadowFinding } from '../../../src/analysis/shadow/index.js';
import { cachingReader, type RulesFile } from '../../../src/rules/index.js';
import { REPO_ROOT, missingUpstreamHistory, readUpstream } from '../../helpers/shared.js';

const read = cachingReader();
const upstream = (...files: string[]): RulesFile[] => files.map((f) => read(readUpstream(f)));
const overlay = (name: string): RulesFile[] => {
  const path = `test/fixtures/shadow/${name}`;
  return [read({ path, text: readFileSync(join(REPO_ROOT, path), 'utf8') })];
};
const falco = (v: string) => `falco_rules/${v}.yaml`;

/** The facts a scenario asserts, without message wording. */
function facts(f: ShadowFinding) {
  return {
    id: f.id,
    severity: f.severity,
    relation: f.relation,
    lines: [f.ours.line, f.base?.line, f.theirs?.line],
    ...(f.fields ? { fields: f.fields.map((v) => (v.added ? { field: v.field, added: v.added, removed: v.removed } : { field: v.field })) } : {}),
    ...(f.kind === 'orphaned' ? { failsToLoad: f.failsToLoad, renamedTo: f.renamedTo } : {}),
    ...(f.rules ? { rules: f.rules.map((r) => [r.rule, r.reason]) } : {}),
    ...(f.hook ? { hook: f.hook } : {}),
  };
}

function check(base: string[], theirs: string[], ours: string) {
  return findShadowedDefaults({ base: upstream(...base), theirs: upstream(...theirs), ours: overlay(ours) });
}

describe.skipIf(missingUpstreamHistory())('upstream check scenarios on the real upstream history', () => {
  it('S1 falco 0.32.1 -> 0.33.0: a replaced macro changed underneath and reached by a new rule', () => {
    const findings = check([falco('falco-0.32.1')], [falco('falco-0.33.0')], 's01-user-ssh-directory.yaml');
    expect(findings.map(facts)).toEqual([
      { id: 'changed-underneath/macro/user_ssh_directory', severity: 'warning', relation: 'replace', lines: [2, 913, 910], fields: [{ field: 'condition' }] },
      {
        id: 'inherited/macro/user_ssh_directory',
        severity: 'warning',
        relation: 'replace',
        lines: [2, 913, 910],
        rules: [['Directory traversal monitored file read', 'new']],
      },
    ]);
    expect(findings[0]!.fields![0]).toEqual({
      field: 'condition',
      base: "(fd.name glob '/home/*/.ssh/*')",
      theirs: "(fd.name contains '/.ssh/' and fd.name glob '/home/*/.ssh/*')",
      ours: "(fd.name glob '/home/*/.ssh/*' or fd.name glob '/root/.ssh/*')",
    });
  });

  it('S2 falco 0.32.1 -> 0.33.0: a replaced list lost and gained items, and a new rule uses it', () => {
    expect(check([falco('falco-0.32.1')], [falco('falco-0.33.0')], 's02-docker-binaries.yaml').map(facts)).toEqual([
      {
        id: 'changed-underneath/list/docker_binaries',
        severity: 'warning',
        relation: 'replace',
        // falco 0.33.0 defines docker_binaries twice; the redefinition at line 3210 is the effective one (§2.1).
        lines: [1, 172, 3210],
        fields: [
          {
            field: 'items',
            added: ['containerd-shim', 'runc:[1:CHILD]', 'pause'],
            removed: ['docker', 'exe', 'docker-compose', 'docker-entrypoi', 'docker-runc-cur', 'docker-current', 'dockerd-current'],
          },
        ],
      },
      {
        id: 'inherited/list/docker_binaries',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 172, 3210],
        rules: [['Modify Container Entrypoint', 'new']],
      },
    ]);
  });

  it('S3 falco 0.32.1 -> 0.33.0: an append to a removed macro makes Falco refuse the overlay', () => {
    expect(check([falco('falco-0.32.1')], [falco('falco-0.33.0')], 's03-consider-ssh-reads.yaml').map(facts)).toEqual([
      { id: 'orphaned/macro/consider_ssh_reads', severity: 'error', relation: 'append', lines: [1, 962, undefined], failsToLoad: true, renamedTo: undefined },
    ]);
  });

  it('S4 rules 1.0.2 -> 2.0.0 (falco_rules only): a toggle of a rule moved out of the default file is orphaned', () => {
    expect(check([falco('rules-1.0.2')], [falco('rules-2.0.0')], 's04-disable-write-below-etc.yaml').map(facts)).toEqual([
      { id: 'orphaned/rule/Write below etc', severity: 'error', relation: 'enable', lines: [1, 1287, undefined], failsToLoad: true, renamedTo: undefined },
    ]);
  });

  it('S5 rules 1.0.2 -> 2.0.0 with incubating and sandbox loaded: the moved rule is still there, nothing to report', () => {
    const theirs = [falco('rules-2.0.0'), 'falco-incubating_rules/rules-2.0.0.yaml', 'falco-sandbox_rules/rules-2.0.0.yaml'];
    expect(check([falco('rules-1.0.2')], theirs, 's04-disable-write-below-etc.yaml')).toEqual([]);
  });

  it('S6 rules 1.0.2 -> 2.0.0: a redefined list upstream dropped stands alone (loads, but is dead)', () => {
    expect(check([falco('rules-1.0.2')], [falco('rules-2.0.0')], 's06-shell-config-files.yaml').map(facts)).toEqual([
      {
        id: 'orphaned/list/shell_config_files',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 457, undefined],
        failsToLoad: false,
        renamedTo: undefined,
      },
    ]);
  });

  it('S7 rules 1.0.2 -> 2.0.0: a condition replace override hides upstream reordering its condition', () => {
    expect(check([falco('rules-1.0.2')], [falco('rules-2.0.0')], 's07-read-sensitive-untrusted.yaml').map(facts)).toEqual([
      {
        id: 'changed-underneath/rule/Read sensitive file untrusted',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 1445, 396],
        fields: [{ field: 'condition' }],
      },
    ]);
  });

  it('S8 rules 2.0.0 -> 3.0.0: a full copy of a rule misses the new condition clause and output change', () => {
    expect(check([falco('rules-2.0.0')], [falco('rules-3.0.0')], 's08-clear-log-activities.yaml').map(facts)).toEqual([
      {
        id: 'changed-underneath/rule/Clear Log Activities',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 924, 929],
        fields: [{ field: 'condition' }, { field: 'output' }],
      },
    ]);
  });

  it('S9 rules 3.0.0 -> 3.1.0: upstream adds a tuning macro to a rule we patch by replacement', () => {
    expect(check([falco('rules-3.0.0')], [falco('rules-3.1.0')], 's09-drop-and-execute.yaml').map(facts)).toEqual([
      {
        id: 'changed-underneath/rule/Drop and execute new binary in container',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 1177, 1175],
        fields: [{ field: 'condition' }],
      },
      {
        id: 'hook-available/rule/Drop and execute new binary in container',
        severity: 'note',
        relation: 'replace',
        lines: [1, 1177, 1175],
        hook: { kind: 'macro', name: 'known_drop_and_execute_activities' },
      },
    ]);
  });

  it('S10 rules 3.0.0 -> 3.1.0: upstream removed deprecated registry images from a list we copied', () => {
    expect(check([falco('rules-3.0.0')], [falco('rules-3.1.0')], 's10-privileged-images.yaml').map(facts)).toEqual([
      {
        id: 'changed-underneath/list/falco_privileged_images',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 638, 638],
        fields: [
          {
            field: 'items',
            added: [],
            removed: ['k8s.gcr.io/ip-masq-agent-amd64', 'k8s.gcr.io/kube-proxy', 'k8s.gcr.io/prometheus-to-sd', 'k8s.gcr.io/dns/k8s-dns-node-cache'],
          },
        ],
      },
    ]);
  });

  it('S11 rules 3.2.0 -> 4.0.0: an appended list is fine, a replaced one misses a new item', () => {
    expect(check([falco('rules-3.2.0')], [falco('rules-4.0.0')], 's11-sensitive-binaries.yaml').map(facts)).toEqual([
      {
        id: 'changed-underneath/list/read_sensitive_file_binaries',
        severity: 'warning',
        relation: 'replace',
        lines: [6, 363, 361],
        fields: [{ field: 'items', added: ['sshd-session'], removed: [] }],
      },
    ]);
  });

  it('S12 rules 4.0.0 -> 5.1.0: a replaced core macro changed underneath; appends and toggles are fine', () => {
    expect(check([falco('rules-4.0.0')], [falco('rules-5.1.0')], 's12-spawned-process.yaml').map(facts)).toEqual([
      { id: 'changed-underneath/macro/spawned_process', severity: 'warning', relation: 'replace', lines: [1, 85, 85], fields: [{ field: 'condition' }] },
    ]);
  });

  it('S13 falco 0.31.0 -> 0.31.1: a replaced macro was renamed upstream, and we say to what', () => {
    const findings = check([falco('falco-0.31.0')], [falco('falco-0.31.1')], 's13-somebody-becoming-themself.yaml');
    expect(findings.map(facts)).toEqual([
      {
        id: 'orphaned/macro/somebody_becoming_themself',
        severity: 'warning',
        relation: 'replace',
        lines: [1, 2192, 2196],
        failsToLoad: false,
        renamedTo: 'somebody_becoming_themselves',
      },
    ]);
    expect(findings[0]!.fix).toBe("rename our macro 'somebody_becoming_themself' to 'somebody_becoming_themselves' and review it");
  });

  it('tags every finding with the environment it was found in', () => {
    const findings = findShadowedDefaults({
      base: upstream(falco('rules-4.0.0')),
      theirs: upstream(falco('rules-5.1.0')),
      ours: overlay('s12-spawned-process.yaml'),
      environment: 'production',
    });
    expect(findings.map((f) => f.environment)).toEqual(['production']);
  });
});
