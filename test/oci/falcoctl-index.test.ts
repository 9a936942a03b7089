import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { falcoctlIndexValidator } from './falcoctl-index-schema.js';
import { checkCosignIdentity, indexEntryFor, updateIndexFile, writeIndexFile, type IndexEntry } from '../../src/oci/index.js';

const entry = (name: string, description = 'Acme production rules'): IndexEntry => ({
  name,
  type: 'rulesfile',
  registry: 'ghcr.io',
  repository: `acme/${name}`,
  description,
  home: 'https://github.com/acme/rules',
  keywords: ['falco-rules'],
  license: 'Apache-2.0',
  maintainers: [{ name: 'Security', email: 'sec@acme.example' }],
  sources: ['https://github.com/acme/rules'],
});

const validate = falcoctlIndexValidator();

describe('updateIndexFile', () => {
  it('writes falcoctl index entries in its key order, sorted by name', () => {
    const text = updateIndexFile(null, [entry('rules-staging'), entry('rules-production')]);
    expect(text.startsWith('- name: rules-production\n  type: rulesfile\n  registry: ghcr.io\n  repository: acme/rules-production\n  description:')).toBe(true);
    expect(text.indexOf('rules-staging')).toBeGreaterThan(text.indexOf('rules-production'));
    expect(text).toContain('  maintainers:\n    - email: sec@acme.example\n      name: Security\n');
  });

  it("round-trips: the YAML parses back to the same entries and matches falcoctl's Entry shape", () => {
    const signed: IndexEntry = {
      ...entry('rules-production'),
      signature: {
        cosign: { certificateOidcIssuer: 'https://token.actions.githubusercontent.com', certificateIdentityRegexp: '^https://github.com/acme/rules/' },
      },
    };
    const text = updateIndexFile(null, [entry('rules-staging'), signed]);
    const parsed = parse(text) as Record<string, unknown>[];
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed).toEqual([
      {
        name: 'rules-production',
        type: 'rulesfile',
        registry: 'ghcr.io',
        repository: 'acme/rules-production',
        signature: {
          cosign: {
            'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com',
            'certificate-identity-regexp': '^https://github.com/acme/rules/',
          },
        },
        description: 'Acme production rules',
        home: 'https://github.com/acme/rules',
        keywords: ['falco-rules'],
        license: 'Apache-2.0',
        maintainers: [{ email: 'sec@acme.example', name: 'Security' }],
        sources: ['https://github.com/acme/rules'],
      },
      { ...entry('rules-staging'), maintainers: [{ email: 'sec@acme.example', name: 'Security' }] },
    ]);
    expect(Object.keys(parsed[0]!).slice(0, 5)).toEqual(['name', 'type', 'registry', 'repository', 'signature']);
    expect(updateIndexFile(text, [signed, entry('rules-staging')])).toBe(text);
  });

  it('replaces our entry by name and keeps entries it does not own', () => {
    const plugin = '- name: cloudtrail\n  type: plugin\n  registry: ghcr.io\n  repository: falcosecurity/plugins/cloudtrail\n';
    const first = updateIndexFile(plugin, [entry('rules-production')]);
    const second = updateIndexFile(first, [entry('rules-production', 'changed')]);
    expect(second.match(/name: rules-production/g)).toHaveLength(1);
    expect(second).toContain('description: changed');
    expect(second.startsWith(plugin)).toBe(true);
    expect(validate(parse(second))).toBe(true);
  });

  it('keeps an existing signature block when the new entry brings none', () => {
    const signed = updateIndexFile(null, [
      {
        ...entry('rules-production'),
        signature: {
          cosign: {
            certificateOidcIssuer: 'https://issuer',
            certificateIdentity: 'https://github.com/acme/rules/.github/workflows/release.yaml@refs/heads/main',
          },
        },
      },
    ]);
    const again = parse(updateIndexFile(signed, [entry('rules-production', 'v2')])) as { signature?: unknown; description: string }[];
    expect(again[0]!.description).toBe('v2');
    expect(again[0]!.signature).toEqual({
      cosign: {
        'certificate-oidc-issuer': 'https://issuer',
        'certificate-identity': 'https://github.com/acme/rules/.github/workflows/release.yaml@refs/heads/main',
      },
    });
  });

  it.each([
    ['not a list', 'name: x\n', /must be a YAML list/],
    ['an entry without a name', '- type: plugin\n', /index entry 1 has no name/],
    ['a duplicate name, which falcoctl refuses', '- name: a\n- name: a\n', /duplicate index entry 'a'/],
    ['invalid YAML', '- name: [\n', /not valid YAML/],
  ])('refuses an existing index that is %s', (_what, text, message) => {
    expect(() => updateIndexFile(text, [])).toThrow(message);
  });

  it('refuses two new entries with one name', () => {
    expect(() => updateIndexFile(null, [entry('a'), { ...entry('a'), registry: 'quay.io' }])).toThrow(/two artifacts would share the index entry name 'a'/);
  });
});

describe('indexEntryFor', () => {
  it('derives name and location from the repository, defaults from the manifest annotations', () => {
    const e = indexEntryFor(
      {
        environment: 'production',
        repository: '127.0.0.1:5000/acme/falco-rules-production',
        manifestAnnotations: { 'org.opencontainers.image.source': 'https://github.com/acme/rules' },
      },
      { license: 'Apache-2.0', maintainers: [] },
    );
    expect(e).toEqual({
      name: 'falco-rules-production',
      type: 'rulesfile',
      registry: '127.0.0.1:5000',
      repository: 'acme/falco-rules-production',
      description: 'Falco rules for the production environment',
      home: 'https://github.com/acme/rules',
      keywords: ['falco', 'rules', 'production'],
      license: 'Apache-2.0',
      maintainers: [],
      sources: ['https://github.com/acme/rules'],
    });
  });

  it('cosign needs an issuer and an identity', () => {
    expect(checkCosignIdentity({ certificateIdentity: 'x' })).toMatch(/OIDC issuer/);
    expect(checkCosignIdentity({ certificateOidcIssuer: 'x' })).toMatch(/certificate identity/);
    expect(checkCosignIdentity({ certificateOidcIssuerRegexp: '.*', certificateGithubWorkflow: 'release' })).toBeNull();
  });
});

describe('writeIndexFile', () => {
  it('creates, then updates in place through a rename, leaving no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fg-index-'));
    const path = join(dir, 'nested', 'index.yaml');
    await writeIndexFile(path, [entry('rules-staging')]);
    await writeIndexFile(path, [entry('rules-production')]);
    const names = (parse(await readFile(path, 'utf8')) as { name: string }[]).map((e) => e.name);
    expect(names).toEqual(['rules-production', 'rules-staging']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['index.yaml']);
  });

  it('names the file when the existing index is broken, and leaves it untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fg-index-'));
    const path = join(dir, 'index.yaml');
    await writeFile(path, 'name: x\n');
    await expect(writeIndexFile(path, [entry('a')])).rejects.toThrow(`${path}: the index file must be a YAML list of entries`);
    expect(await readFile(path, 'utf8')).toBe('name: x\n');
  });
});
