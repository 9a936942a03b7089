import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packArtifact, writeOciLayout } from '../../src/oci/index.js';
import { run } from '../helpers/cli.js';
import { falcoctlIndexValidator } from '../oci/falcoctl-index-schema.js';
import { sampleInput } from '../oci/helpers.js';

const validate = falcoctlIndexValidator();

async function twoEnvironmentLayout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fg-index-cli-'));
  await writeOciLayout(join(dir, 'out', 'oci'), [
    packArtifact(sampleInput()),
    packArtifact(
      sampleInput({ environment: 'staging', repository: 'ghcr.io/acme/falco-rules-staging', rulesFileName: 'falco-rules-staging.yaml', version: '1.8.0-rc.1' }),
    ),
  ]);
  return dir;
}

describe('falco-gitops index', () => {
  it("writes one rulesfile entry per layout artifact, keeps foreign entries, and falcoctl's shape holds", async () => {
    const dir = await twoEnvironmentLayout();
    const plugin = '- name: cloudtrail\n  type: plugin\n  registry: ghcr.io\n  repository: falcosecurity/plugins/cloudtrail\n';
    await writeFile(join(dir, 'index.yaml'), plugin);
    const r = await run(
      [
        'index',
        '--maintainer',
        'Acme Security <sec@acme.example>',
        '--keyword',
        'acme',
        '--certificate-oidc-issuer',
        'https://token.actions.githubusercontent.com',
        '--certificate-identity-regexp',
        '^https://github.com/acme/rules/',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('index.yaml: 2 entries written (falco-rules-production, falco-rules-staging)\n');
    const text = await readFile(join(dir, 'index.yaml'), 'utf8');
    expect(text.startsWith(plugin)).toBe(true);
    const parsed = parse(text) as Record<string, unknown>[];
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed.map((e) => e.name)).toEqual(['cloudtrail', 'falco-rules-production', 'falco-rules-staging']);
    expect(parsed[1]).toEqual({
      name: 'falco-rules-production',
      type: 'rulesfile',
      registry: 'ghcr.io',
      repository: 'acme/falco-rules-production',
      signature: {
        cosign: { 'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com', 'certificate-identity-regexp': '^https://github.com/acme/rules/' },
      },
      description: 'Falco rules for the production environment',
      home: 'https://github.com/acme/rules',
      keywords: ['acme'],
      license: 'Apache-2.0',
      maintainers: [{ email: 'sec@acme.example', name: 'Acme Security' }],
      sources: ['https://github.com/acme/rules'],
    });
  });

  it('--env and --registry choose the entries and where they point; --format json lists them', async () => {
    const dir = await twoEnvironmentLayout();
    const r = await run(['index', '--env', 'staging', '--registry', 'registry.acme.example:5000', '--file', 'dist/index.yaml', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { file: string; entries: { name: string; registry: string; repository: string }[] };
    expect(json.entries.map((e) => [e.name, e.registry, e.repository])).toEqual([
      ['falco-rules-staging', 'registry.acme.example:5000', 'acme/falco-rules-staging'],
    ]);
    expect(parse(await readFile(join(dir, 'dist', 'index.yaml'), 'utf8'))).toEqual(json.entries);
  });

  it.each([
    [['--maintainer', 'nobody'], /--maintainer must look like "Name <email>", not 'nobody'/],
    [['--certificate-identity', 'x'], /a cosign signature needs an OIDC issuer/],
    [['--env', 'qa'], /no artifact for environment\(s\) qa in out\/oci/],
    [['--layout', 'missing/oci'], /cannot read the OCI layout index \(run build first\)/],
  ])('usage and input errors exit 2: %s', async (args, message) => {
    const dir = await twoEnvironmentLayout();
    const r = await run(['index', ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a broken existing index is an input error and stays as it was', async () => {
    const dir = await twoEnvironmentLayout();
    await writeFile(join(dir, 'index.yaml'), '- name: a\n- name: a\n');
    const r = await run(['index'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/index\.yaml: duplicate index entry 'a'/);
    expect(await readFile(join(dir, 'index.yaml'), 'utf8')).toBe('- name: a\n- name: a\n');
  });
});
