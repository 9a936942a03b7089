/**
 * `verify` of a published artifact in the local registry (test/setup/registry.ts) and of an OCI
 * layout: compatible and incompatible Falco targets.
 */
import { it, expect } from 'vitest';
import { run } from '../helpers/cli.js';
import { layoutWith, registry, uniqueRepo, withRegistry } from './publish-helpers.js';

const RULES = `- required_engine_version: 0.50.0
- required_plugin_versions:
  - name: container
    version: 0.3.0
- rule: Shell under nginx
  desc: d
  condition: evt.type = execve and proc.aargs contains nginx and container.id != host
  output: o (%proc.cmdline)
  priority: NOTICE
`;

async function publishedArtifact(): Promise<{ dir: string; reference: string }> {
  const repository = uniqueRepo();
  const dir = await layoutWith([
    {
      environment: 'staging',
      repository,
      version: '1.0.0',
      rulesFileName: 'falco-rules-staging.yaml',
      rulesFile: new TextEncoder().encode(RULES),
      requiredEngineVersion: '0.50.0',
      requiredPluginVersions: [{ name: 'container', version: '0.3.0', alternatives: [] }],
      annotations: { created: '2026-01-01T00:00:00Z' },
    },
  ]);
  const published = await run(['publish', '--layout', 'out/oci', '--registry', registry.open, '--format', 'json'], { cwd: dir });
  expect(published.code, published.stderr).toBe(0);
  const target = (JSON.parse(published.stdout) as { artifacts: { target: string }[] }).artifacts[0]!.target;
  return { dir, reference: target.replace(/:[^:/]+$/, ':1.0.0') };
}

withRegistry('falco-gitops verify', () => {
  it('installs and loads on a compatible target; names each reason on an incompatible one', async () => {
    const { dir, reference } = await publishedArtifact();

    const ok = await run(['verify', reference, '--falco-version', '0.44.1', '--plugin', 'container@0.3.2', '--format', 'json'], { cwd: dir });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const okJson = JSON.parse(ok.stdout) as { ok: boolean; target: string; problems: string[]; digest: string };
    expect(okJson).toMatchObject({ ok: true, target: 'falco 0.44.1 (container@0.3.2)', problems: [] });
    expect(okJson.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Falco 0.40.0: engine 0.46.0 < 0.50.0, no container plugin loaded, and libs 0.20 has no proc.aargs.
    const bad = await run(['verify', reference, '--falco-version', '0.40.0'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('problem: requirement engine_version_semver 0.50.0 not met: Falco 0.40.0 has engine version 0.46.0');
    expect(bad.stdout).toContain('problem: dependency not met: Plugin requirement not satisfied, must load one of: container (>= 0.3.0)');
    expect(bad.stdout).toContain(`does not install or load on falco 0.40.0 (no plugins)`);

    const oldPlugin = await run(['verify', reference, '--plugin', 'container@0.2.9', '--format', 'json'], { cwd: dir });
    expect(oldPlugin.code).toBe(1);
    expect((JSON.parse(oldPlugin.stdout) as { problems: string[] }).problems).toEqual([
      "dependency not met: Plugin 'container' version '0.2.9' is not compatible with required plugin version '0.3.0'",
      'Falco 0.44.1 would refuse the rules: 1 error(s)',
    ]);
  });

  it('reads an OCI layout directory; on a too old target Falco stops at the engine version, named with its line', async () => {
    const { dir } = await publishedArtifact();
    const layout = await run(['verify', 'out/oci', '--falco-version', '0.41.0'], { cwd: dir });
    expect(layout.code, layout.stdout + layout.stderr).toBe(0);
    const old = await run(['verify', 'out/oci', '--falco-version', '0.40.0', '--plugin', 'container'], { cwd: dir });
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(
      /^falco-rules-staging\.yaml:1:\d+: error LOAD_ERR_VALIDATE: Rules require engine version 0\.50\.0, but engine version is 0\.46\.0$/m,
    );
  });

  it('an unsupported version is a usage error; a missing tag an input error', async () => {
    const { dir, reference } = await publishedArtifact();
    expect((await run(['verify', reference, '--falco-version', '0.30.0'], { cwd: dir })).code).toBe(2);
    expect((await run(['verify', reference.replace(/:1\.0\.0$/, ':9.9.9')], { cwd: dir })).code).toBe(2);
  });
});
