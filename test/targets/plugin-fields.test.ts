/**
 * Plugin fields per plugin release (src/targets/generated/plugin-fields.ts, generated from the
 * falcosecurity/plugins sources at each release tag): a rule using a field a later release added
 * fails for an older `--plugin NAME@VERSION` with Falco's own error, and loads from that release on.
 * Each case was checked against the plugin's field definitions at both tags.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, type CompiledRuleset } from '../../src/rules/index.js';
import { makeTarget, parsePluginSpec } from '../../src/targets/target.js';
import { semanticsOf } from '../../src/targets/semantics.js';
import { PLUGIN_FIELD_RANGES, PLUGIN_VERSIONS } from '../../src/targets/generated/plugin-fields.js';
import { run } from '../helpers/cli.js';

const SOURCES: Record<string, string> = { k8saudit: 'k8s_audit', cloudtrail: 'aws_cloudtrail', github: 'github', okta: 'okta', gcpaudit: 'gcp_auditlog' };

function loadWith(plugin: string, version: string, condition: string): CompiledRuleset {
  const text = `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n  source: ${SOURCES[plugin]}\n`;
  return loadRules([{ path: 'r.yaml', text }], { target: semanticsOf(makeTarget('0.44.1', ['container', `${plugin}@${version}`].map(parsePluginSpec))) });
}
const errors = (r: CompiledRuleset) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message]);

describe('plugin fields per plugin release', () => {
  it.each([
    ['k8saudit', 'ka.cluster.name = prod', '0.9.0', '0.10.0'],
    ['k8saudit', 'ka.target.pod.name = x', '0.9.0', '0.10.0'],
    ['k8saudit', 'ka.req.binding.subjects.user_names intersects (admin)', '0.11.0', '0.12.0'],
    ['k8saudit', 'ka.req.pod.containers.name intersects (nginx)', '0.13.0', '0.14.0'],
    ['k8saudit', 'ka.req.pod.initContainers.image intersects (busybox)', '0.17.0', '0.18.0'],
    ['cloudtrail', 'ct.errormessage = denied', '0.11.0', '0.12.0'],
    ['cloudtrail', 'ct.originaluser = x', '0.15.0', '0.16.0'],
    ['cloudtrail', 'iam.role = admin', '0.13.0', '0.14.0'],
    ['github', 'github.repo.name = x', '0.7.5', '0.8.0'],
    ['github', 'github.commit.added exists', '0.8.1', '0.9.0'],
    ['okta', 'okta.org = acme', '0.5.0', '0.6.0'],
    ['gcpaudit', 'gcp.resourceLabels exists', '0.4.0', '0.5.0'],
  ])("%s: %s fails on %s with Falco's error and loads on %s", (plugin, condition, before, since) => {
    const field = condition.split(' ')[0]!;
    expect(errors(loadWith(plugin, before, condition))).toEqual([['LOAD_ERR_COMPILE_CONDITION', `filter_check called with nonexistent field ${field}`]]);
    expect(errors(loadWith(plugin, since, condition))).toEqual([]);
  });

  it.each([
    ['okta.target.user.aternateid = x', '0.6.0', '0.7.0'],
    ['okta.target.group.aternateid = x', '0.1.0', '0.12.0'],
  ])('okta: %s, a field later releases dropped, loads on %s and fails on %s and on the newest', (condition, until, after) => {
    const field = condition.split(' ')[0]!;
    const refused = [['LOAD_ERR_COMPILE_CONDITION', `filter_check called with nonexistent field ${field}`]];
    expect(errors(loadWith('okta', until, condition))).toEqual([]);
    expect(errors(loadWith('okta', after, condition))).toEqual(refused);
    const unversioned = `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n  source: okta\n`;
    const newest = loadRules([{ path: 'r.yaml', text: unversioned }], {
      target: semanticsOf(makeTarget('0.44.1', ['container', 'okta'].map(parsePluginSpec))),
    });
    expect(errors(newest)).toEqual(refused);
  });

  it('a version between two releases has the fields of the release before it; a plugin with no version has the newest', () => {
    expect(errors(loadWith('k8saudit', '0.9.7', 'ka.cluster.name = prod'))).toHaveLength(1);
    expect(errors(loadWith('k8saudit', '0.10.5', 'ka.cluster.name = prod'))).toEqual([]);
    const unversioned = `- rule: R\n  desc: d\n  condition: ka.cluster.name = prod\n  output: o\n  priority: INFO\n  source: k8s_audit\n`;
    const r = loadRules([{ path: 'r.yaml', text: unversioned }], { target: semanticsOf(makeTarget('0.44.1', ['container', 'k8saudit'].map(parsePluginSpec))) });
    expect(errors(r)).toEqual([]);
  });

  it('fields present in every release load on the first one', () => {
    expect(errors(loadWith('k8saudit', PLUGIN_VERSIONS.k8saudit![0]!, 'ka.verb = create and ka.user.name = admin'))).toEqual([]);
  });

  it('the container plugin extracts the same fields in every release from 0.1.0 to 0.7.1: container@0.2.0 has them all', () => {
    expect(PLUGIN_VERSIONS.container).toContain('0.2.0');
    expect(PLUGIN_FIELD_RANGES.container).toEqual({});
    const text = '- rule: R\n  desc: d\n  condition: evt.type = execve and container.host_pid = true and k8s.pod.uid != x\n  output: o\n  priority: INFO\n';
    const r = loadRules([{ path: 'r.yaml', text }], { target: semanticsOf(makeTarget('0.44.1', [parsePluginSpec('container@0.2.0')])) });
    expect(errors(r)).toEqual([]);
  });

  it('an exception field follows the plugin release too', () => {
    const text =
      '- rule: R\n  desc: d\n  condition: ka.verb = create\n  output: o\n  priority: INFO\n  source: k8s_audit\n  exceptions:\n    - name: by_cluster\n      fields: ka.cluster.name\n';
    const target = (version: string) => ({ target: semanticsOf(makeTarget('0.44.1', ['container', `k8saudit@${version}`].map(parsePluginSpec))) });
    expect(errors(loadRules([{ path: 'r.yaml', text }], target('0.9.0')))).toEqual([
      ['LOAD_ERR_VALIDATE', "'ka.cluster.name' is not a supported filter field"],
    ]);
    expect(errors(loadRules([{ path: 'r.yaml', text }], target('0.10.0')))).toEqual([]);
  });

  it('compile --plugin k8saudit@0.9.0 refuses the field with its file:line:col, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plugin-fields-'));
    writeFileSync(join(dir, 'r.yaml'), '- rule: R\n  desc: d\n  condition: ka.cluster.name = prod\n  output: o\n  priority: INFO\n  source: k8s_audit\n');
    const old = await run(['compile', 'r.yaml', '--plugin', 'container', '--plugin', 'k8saudit@0.9.0'], { cwd: dir });
    expect(old.code).toBe(1);
    expect(old.stdout + old.stderr).toContain('r.yaml:3:14: error LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field ka.cluster.name');
    expect((await run(['compile', 'r.yaml', '--plugin', 'container', '--plugin', 'k8saudit@0.10.0'], { cwd: dir })).code).toBe(0);
  });
});
