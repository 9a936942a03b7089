import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { buildEnvironment, loadRepository, readUpstreamVersions } from '../../src/environment/index.js';
import { fsRepositoryReader, type RepositoryReader } from '../../src/config/index.js';
import { createHash } from 'node:crypto';
import { REPO_ROOT, missingUpstream, readUpstream, upstreamManifest } from '../helpers/shared.js';
import { expectSingleFileEquivalent } from './equivalence.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function exampleLayers(env: string) {
  const reader = fsRepositoryReader(REPO_ROOT);
  const load = loadRepository(reader, [env]);
  if (!load.ok) throw new Error(load.message);
  const loaded = load.environments[0]!;
  return loaded.inputs.map((i) => ({ path: i.path, text: reader.readText(i.path)! }));
}

describe('example environments', () => {
  it.each(['staging', 'production'])('%s loads cleanly and its single built file is equivalent to its layers', (env) => {
    const { layered } = expectSingleFileEquivalent(exampleLayers(env));
    expect(layered.diagnostics).toEqual([]);
  });

  it('every file is parsed once, however many environments load it', () => {
    const load = loadRepository(fsRepositoryReader(REPO_ROOT));
    if (!load.ok) throw new Error(load.message);
    const distinct = new Set(load.environments.flatMap((e) => e.inputs.map((i) => i.path)));
    expect([...distinct].sort()).toEqual([
      'environments/production/overlays/production_rules.yaml',
      'environments/production/overlays/tuning.yaml',
      'environments/staging/overlays/tuning.yaml',
      'rules/acme_rules.yaml',
      'rules/upstream/demo_rules.yaml',
    ]);
    expect(load.cache.parseCount()).toBe(5);
  });

  it('the overlays tune what they say they tune', () => {
    const load = loadRepository(fsRepositoryReader(REPO_ROOT));
    if (!load.ok) throw new Error(load.message);
    const [production, staging] = load.environments.map((e) => e.ruleset!);
    const rule = (rs: typeof production, name: string) => rs!.rules.find((r) => r.name === name)!;
    expect(rule(production, 'Contact cloud metadata service from container').enabled).toBe(true);
    expect(rule(staging, 'Contact cloud metadata service from container').enabled).toBe(false);
    expect(rule(staging, 'Launch package management process in container').enabled).toBe(false);
    expect(rule(production, 'Terminal shell in container').priority).toBe('Warning');
    expect(rule(staging, 'Read sensitive file untrusted').priority).toBe('Notice');
    expect(production!.rules.some((r) => r.name === 'Debugger launched in production container')).toBe(true);
    expect(staging!.rules.some((r) => r.name === 'Debugger launched in production container')).toBe(false);
    expect(production!.lists.find((l) => l.name === 'shell_binaries')?.items).toContain('busybox');
    expect(staging!.lists.find((l) => l.name === 'shell_binaries')?.items).toContain('fish');
  });

  it('the manifest records inputs, output and upstream versions with their sha256', () => {
    const reader = fsRepositoryReader(REPO_ROOT);
    const load = loadRepository(reader, ['production']);
    const upstream = readUpstreamVersions(reader);
    if (!load.ok || !upstream.ok) throw new Error('example repository does not load');
    const env = load.environments[0]!;
    const built = buildEnvironment({ ...env, ruleset: env.ruleset! }, upstream.upstream);
    expect(built.manifest.inputs).toEqual(env.inputs.map((i) => ({ path: i.path, sha256: sha(readFileSync(join(REPO_ROOT, i.path), 'utf8')) })));
    expect(built.manifest.upstream).toEqual([{ name: 'demo_rules', version: '1.0.0', file: 'rules/upstream/demo_rules.yaml' }]);
    expect(built.manifest.output).toEqual({ file: 'falco-rules-production.yaml', sha256: sha(built.rulesFile) });
    expect(built.manifest.requiredEngineVersion).toBe('0.31.0');
    expect(JSON.parse(built.manifestJson)).toEqual(built.manifest);
  });
});

/** The newest release of each upstream ruleset: falco_rules, incubating, sandbox. */
function latestTrio() {
  const newest = new Map<string, { file: string; version: string }>();
  for (const e of upstreamManifest()) {
    const version = e.version.replace(/^rules-/, '');
    if (!semver.valid(version)) continue;
    const current = newest.get(e.ruleset);
    if (!current || semver.gt(version, current.version)) newest.set(e.ruleset, { file: e.file, version });
  }
  return ['falco_rules', 'falco-incubating_rules', 'falco-sandbox_rules'].map((r) => readUpstream(newest.get(r)!.file));
}

const TRIO_OVERLAY = `
- macro: user_known_read_sensitive_files_activities
  condition: (proc.name = my-auditor)
  override: {condition: replace}
- macro: overlay_tooling
  condition: (proc.name in (overlay_tools))
- list: overlay_tools
  items: [my-tool, my-other-tool]
- macro: user_known_read_sensitive_files_activities
  condition: or overlay_tooling
  override: {condition: append}
- list: overlay_extra_shells
  items: [nu, elvish]
- list: shell_binaries
  items: [fish, overlay_extra_shells]
  override: {items: append}
- rule: Terminal shell in container
  priority: WARNING
  override: {priority: replace}
- rule: Read Shell Configuration File
  enabled: true
  override: {enabled: replace}
- rule: Read sensitive file untrusted
  exceptions:
    - name: overlay_known_readers
      fields: [proc.name, fd.name]
      comps: [=, startswith]
      values: [[my-backup, /etc/]]
  override: {exceptions: append}
- rule: Overlay only rule
  desc: a rule only the overlay defines
  condition: spawned_process and proc.name in (shell_binaries)
  output: shell %proc.name
  priority: NOTICE
`;

describe.skipIf(missingUpstream())('real upstream trio', () => {
  it('a test overlay on top of the latest trio renders to an equivalent single file', () => {
    const { layered, single } = expectSingleFileEquivalent([...latestTrio(), { path: 'environments/test/overlay.yaml', text: TRIO_OVERLAY }]);
    expect(layered.rules.at(-1)?.name).toBe('Overlay only rule');
    expect(single.rules.find((r) => r.name === 'Terminal shell in container')?.priority).toBe('Warning');
    expect(single.lists.find((l) => l.name === 'shell_binaries')?.items.slice(-3)).toEqual(['fish', 'nu', 'elvish']);
    expect(single.rules.find((r) => r.name === 'Read Shell Configuration File')?.enabled).toBe(true);
  });

  it('the trio alone renders to an equivalent single file', () => {
    expectSingleFileEquivalent(latestTrio());
  });
});

describe('reader abstraction', () => {
  it('loads from any RepositoryReader, not only the file system', () => {
    const files: Record<string, string> = {
      'environments/e/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\n',
      'rules/a.yaml': '- list: l\n  items: [x]\n',
    };
    const reader: RepositoryReader = { readText: (p) => files[p], listFiles: (d) => Object.keys(files).filter((p) => p.startsWith(`${d}/`)) };
    const load = loadRepository(reader);
    expect(load.ok && load.environments[0]!.ruleset!.lists.map((l) => l.name)).toEqual(['l']);
  });
});
