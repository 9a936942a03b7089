/**
 * `verify` of a published artifact in the local registry (test/setup/registry.ts) and of an OCI
 * layout: compatible and incompatible Falco targets.
 */
import { it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it("--falco-binary runs `COMMAND --validate FILE` on the artifact's rules file and fails on a disagreement", async () => {
    const { dir, reference } = await publishedArtifact();
    // A stand-in for Falco: refuses a rules file that uses proc.aargs, as Falco 0.40.0 (libs 0.20) does.
    writeFileSync(
      join(dir, 'fake-falco'),
      '#!/bin/sh\n[ "$1" = --validate ] && [ -s "$2" ] || exit 2\nif grep -q proc.aargs "$2"; then echo "Error: filter_check called with nonexistent field proc.aargs"; exit 1; fi\necho "$2: Ok"\n',
      { mode: 0o755 },
    );

    // Falco 0.44.1 and the stand-in disagree: we load the file, it refuses it.
    const disagree = await run(['verify', reference, '--falco-binary', './fake-falco', '--format', 'json'], { cwd: dir });
    expect(disagree.code, disagree.stderr).toBe(1);
    const json = JSON.parse(disagree.stdout) as { ok: boolean; falcoBinary: { file: string; ours: boolean; falco: boolean; agree: boolean; output: string }[] };
    expect(json.ok).toBe(true);
    expect(json.falcoBinary.map((c) => [c.file, c.ours, c.falco, c.agree])).toEqual([['falco-rules-staging.yaml', true, false, false]]);
    expect(json.falcoBinary[0]!.output).toBe('Error: filter_check called with nonexistent field proc.aargs');

    // For Falco 0.40.0 both refuse it: they agree, and verify still fails for its own reasons.
    const agreeRefused = await run(['verify', 'out/oci', '--falco-version', '0.40.0', '--plugin', 'container', '--falco-binary', './fake-falco'], { cwd: dir });
    expect(agreeRefused.code).toBe(1);
    expect(agreeRefused.stdout).toContain('falco-rules-staging.yaml: agree: falco-gitops refuses it, falco --validate refuses it');

    // A Falco that accepts it agrees with the default target: exit 0, the agreement in the text.
    writeFileSync(join(dir, 'ok-falco'), '#!/bin/sh\n[ "$1" = --validate ] && [ -s "$2" ] || exit 2\necho "$2: Ok"\n', { mode: 0o755 });
    const agree = await run(['verify', 'out/oci', '--falco-binary', './ok-falco'], { cwd: dir });
    expect(agree.code, agree.stdout).toBe(0);
    expect(agree.stdout).toContain('falco-rules-staging.yaml: agree: falco-gitops loads it, falco --validate loads it');
    const text = await run(['verify', 'out/oci', '--falco-binary', './fake-falco'], { cwd: dir });
    expect(text.stdout).toMatch(
      /^falco-rules-staging\.yaml: DISAGREE: falco-gitops loads it, falco --validate refuses it: Error: filter_check called with nonexistent field proc\.aargs$/m,
    );
  });
});
