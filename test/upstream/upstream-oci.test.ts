import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { DEFAULT_RETRY, HttpClient, openRegistryStore, packArtifact, publishArtifact } from '../../src/oci/index.js';
import { parseLockFile, sha256Hex } from '../../src/upstream/index.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';

const registry = inject('registry');
const run = registry.available && !missingUpstream('falco_rules/rules-4.0.0.yaml', 'falco_rules/rules-5.1.0.yaml') ? describe : describe.skip;

/** Publishes an upstream release as falcosecurity does: a rulesfile artifact holding falco_rules.yaml. */
async function publishUpstream(repository: string, version: string, text: string): Promise<string> {
  const http = new HttpClient({ userAgent: 'falco-gitops-test', timeoutMs: 30_000, retry: DEFAULT_RETRY });
  const store = openRegistryStore({ registry: registry.open, repository, plainHttp: true }, null, http);
  const packed = packArtifact({
    environment: 'upstream',
    repository: `${registry.open}/${repository}`,
    version,
    rulesFileName: 'falco_rules.yaml',
    rulesFile: Buffer.from(text),
    requiredEngineVersion: null,
    requiredPluginVersions: [],
    annotations: { created: '2025-01-01T00:00:00Z' },
  });
  await publishArtifact(store, packed);
  return packed.manifest.descriptor.digest;
}

run('upstream pinning from a real registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-upstream-oci-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pulls the artifact, pins its reference and digest, checks against another tag and moves the pin to it', async () => {
    const repository = `falcosecurity/rules/falco-rules-${Date.now().toString(36)}`;
    const v4 = readUpstream('falco_rules/rules-4.0.0.yaml').text;
    const v5 = readUpstream('falco_rules/rules-5.1.0.yaml').text;
    const digest = await publishUpstream(repository, '4.0.0', v4);
    const digest5 = await publishUpstream(repository, '5.1.0', v5);
    let out = '';
    const io: CliIO = { cwd: dir, env: {}, stdout: (t) => (out += t), stderr: (t) => (out += t), readStdin: async () => '', isTTY: false };
    const reference = `${registry.open}/${repository}:4.0.0`;
    expect(await runCli(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', reference, '--plain-http'], io)).toBe(0);
    const lock = parseLockFile(readFileSync(join(dir, 'rules/upstream/upstream.lock.yaml'), 'utf8'), 'lock');
    expect(lock.ok && lock.lock.rulesets[0]).toEqual({
      name: 'falco_rules',
      version: '4.0.0',
      file: 'rules/upstream/falco_rules.yaml',
      sha256: sha256Hex(v4),
      source: { kind: 'oci', reference, digest },
    });
    expect(readFileSync(join(dir, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(v4);

    mkdirSync(join(dir, 'environments/prod'), { recursive: true });
    writeFileSync(
      join(dir, 'environments/prod/environment.yaml'),
      'version: 1.0.0\nlayers:\n  - rules/upstream/falco_rules.yaml\n  - environments/prod/overlay.yaml\n',
    );
    writeFileSync(
      join(dir, 'environments/prod/overlay.yaml'),
      '- macro: spawned_process\n  condition: (evt.type in (execve, execveat) and evt.dir=< and proc.name != pause)\n',
    );
    out = '';
    expect(await runCli(['upstream', 'check', '--to', '5.1.0', '--plain-http', '--format', 'json'], io)).toBe(1);
    const findings = (JSON.parse(out) as { data: { findings: { id: string; environment: string }[] } }).data.findings;
    expect(findings.map((f) => [f.id, f.environment])).toEqual([['changed-underneath/macro/spawned_process', 'prod']]);

    out = '';
    expect(await runCli(['upstream', 'update', '--to', '5.1.0', '--plain-http'], io)).toBe(1);
    const moved = parseLockFile(readFileSync(join(dir, 'rules/upstream/upstream.lock.yaml'), 'utf8'), 'lock');
    expect(moved.ok && moved.lock.rulesets[0]).toEqual({
      name: 'falco_rules',
      version: '5.1.0',
      file: 'rules/upstream/falco_rules.yaml',
      sha256: sha256Hex(v5),
      source: { kind: 'oci', reference: `${registry.open}/${repository}:5.1.0`, digest: digest5 },
    });
  });
});
