import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { edit, exampleRepository } from './example-repo.js';

const registry = inject('registry');
const NAMESPACE = `release-${process.pid}-${Date.now().toString(36)}`;

describe.skipIf(!registry.available)('release against a real registry', () => {
  let repo: TempRepo;
  let out: string;
  const files = exampleRepository();
  files['falco-gitops.yaml'] = edit(files['falco-gitops.yaml']!, 'registry: ghcr.io/acme', `registry: ghcr.io/${NAMESPACE}`);

  const tags = () => execFileSync('git', ['tag', '--list'], { cwd: repo.dir, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  const registryTags = async (name: string) => {
    const res = await fetch(`http://${registry.open}/v2/${NAMESPACE}/${name}/tags/list`);
    return res.status === 404 ? [] : ((await res.json()) as { tags: string[] }).tags.sort();
  };
  const release = (extra: string[] = [], env: Record<string, string> = {}) =>
    run(
      [
        'release',
        '--registry',
        registry.open,
        '--signature-issuer',
        'https://token.actions.githubusercontent.com',
        '--signature-identity',
        'https://github.com/acme/rules/',
        '--notes-dir',
        join(out, 'notes'),
        '--index',
        join(out, 'index.yaml'),
        '--sign-command',
        `printf '%s\\n' {ref} >> '${join(out, 'signed.log')}'`,
        '--format',
        'json',
        ...extra,
      ],
      {
        cwd: repo.dir,
        env: { HOME: out, ...env },
      },
    );

  beforeAll(() => {
    repo = createTempRepo();
    out = mkdtempSync(join(tmpdir(), 'fg-release-out-'));
    repo.commit(files, 'rules as of the first release');
  });
  afterAll(() => {
    repo.remove();
    rmSync(out, { recursive: true, force: true });
  });

  it('first release: every environment at its declared version, signed by digest, indexed, noted, then tagged', async () => {
    const r = await release();
    expect(r.stderr).not.toContain('FAILED');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { releases: { environment: string; digest: string; reference: string; gitTag: string }[]; indexUpdated: boolean };
    expect(result.releases.map((x) => [x.environment, x.gitTag])).toEqual([
      ['production', 'production/v1.7.0'],
      ['staging', 'staging/v1.3.0'],
    ]);
    expect(tags()).toEqual(['production/v1.7.0', 'staging/v1.3.0']);
    expect(await registryTags('falco-rules-production')).toEqual(['1', '1.7', '1.7.0', 'latest']);
    expect(await registryTags('falco-rules-staging')).toEqual(['1', '1.3', '1.3.0', 'latest']);
    const signed = readFileSync(join(out, 'signed.log'), 'utf8').trim().split('\n');
    expect(signed).toEqual(result.releases.map((x) => `${registry.open}/${NAMESPACE}/falco-rules-${x.environment}@${x.digest}`));
    const manifest = await fetch(`http://${registry.open}/v2/${NAMESPACE}/falco-rules-production/manifests/1.7.0`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.headers.get('docker-content-digest')).toBe(result.releases[0]!.digest);
    const index = parse(readFileSync(join(out, 'index.yaml'), 'utf8')) as {
      name: string;
      registry: string;
      repository: string;
      type: string;
      signature: unknown;
    }[];
    expect(index.map((e) => [e.name, e.type, e.registry, e.repository])).toEqual([
      ['falco-rules-production', 'rulesfile', registry.open, `${NAMESPACE}/falco-rules-production`],
      ['falco-rules-staging', 'rulesfile', registry.open, `${NAMESPACE}/falco-rules-staging`],
    ]);
    const cosign = {
      cosign: { 'certificate-oidc-issuer': 'https://token.actions.githubusercontent.com', 'certificate-identity-regexp': 'https://github.com/acme/rules/' },
    };
    expect(index.map((e) => e.signature)).toEqual([cosign, cosign]);
    expect(Object.keys(index[0]!).slice(0, 5)).toEqual(['name', 'type', 'registry', 'repository', 'signature']);
    const notes = readFileSync(join(out, 'notes', 'production.md'), 'utf8');
    expect(notes.split('\n')[0]).toBe('### `production` 1.7.0: first release');
    expect(notes).not.toContain('(first release)');
    expect(notes).toContain(`Artifact: \`${result.releases[0]!.reference}\``);
  });

  it('nothing changed: no publish, no sign, no tag', async () => {
    rmSync(join(out, 'signed.log'));
    const r = await release(['--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'production: unchanged (no effective change since production/v1.7.0)\nstaging: unchanged (no effective change since staging/v1.3.0)\n',
    );
    expect(existsSync(join(out, 'signed.log'))).toBe(false);
    expect(tags()).toEqual(['production/v1.7.0', 'staging/v1.3.0']);
  });

  it('a tuned production macro releases production only, as a patch, with the change in its notes', async () => {
    const tuning = 'environments/production/overlays/tuning.yaml';
    repo.commit(
      { [tuning]: edit(files[tuning]!, '(fd.cip = "10.20.0.10")', '(fd.cip in ("10.20.0.10", "10.20.0.11"))') },
      'production: second bastion',
      '2024-02-01T00:00:00Z',
    );
    const r = await release();
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { releases: { environment: string; decision: { action: string; version?: string }; gitTag?: string }[] };
    expect(result.releases.map((x) => [x.environment, x.decision.action, x.decision.version ?? null, x.gitTag ?? null])).toEqual([
      ['production', 'publish', '1.7.1', 'production/v1.7.1'],
      ['staging', 'skip', null, null],
    ]);
    expect(tags()).toEqual(['production/v1.7.0', 'production/v1.7.1', 'staging/v1.3.0']);
    expect(await registryTags('falco-rules-production')).toEqual(['1', '1.7', '1.7.0', '1.7.1', 'latest']);
    const notes = readFileSync(join(out, 'notes', 'production.md'), 'utf8');
    expect(notes).toContain('`production/v1.7.0` → `production/v1.7.1`');
    expect(notes).toContain('macro `allowed_ssh_hosts` condition changed');
  });

  it('a failed signature or a refused publish leaves no tag, and the next run releases it', async () => {
    const tuning = 'environments/staging/overlays/tuning.yaml';
    repo.commit(
      { [tuning]: edit(files[tuning]!, '["10.20.0.10", "10.20.8.0/24"]', '["10.20.0.10", "10.20.8.0/24", "10.20.9.0/24"]') },
      'staging: more runners',
      '2024-03-01T00:00:00Z',
    );
    const unsigned = await run(['release', '--registry', registry.open, '--sign-command', 'echo no key >&2; exit 3'], { cwd: repo.dir, env: { HOME: out } });
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toMatch(/^staging: 1\.3\.1 \(.*\): FAILED: signing .* failed: .*no key$/m);
    const refused = await run(['release', '--registry', registry.basic], { cwd: repo.dir, env: { HOME: out } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^staging: 1\.3\.1 \(.*\): FAILED: publish failed: /m);
    expect(refused.stdout).toMatch(/^production: unchanged /m);
    expect(tags()).toEqual(['production/v1.7.0', 'production/v1.7.1', 'staging/v1.3.0']);
    const retry = await release();
    expect(retry.code).toBe(0);
    expect(tags()).toEqual(['production/v1.7.0', 'production/v1.7.1', 'staging/v1.3.0', 'staging/v1.3.1']);
  });

  it("a registry with auth: credentials from Docker's config.json (DOCKER_CONFIG), never printed", async () => {
    const tuning = 'environments/staging/overlays/tuning.yaml';
    repo.commit(
      { [tuning]: edit(files[tuning]!, '["10.20.0.10", "10.20.8.0/24"]', '["10.20.0.10", "10.20.8.0/24", "10.20.10.0/24"]') },
      'staging: other runners',
      '2024-04-01T00:00:00Z',
    );
    const docker = join(out, 'docker');
    mkdirSync(docker);
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { [registry.basic]: { auth } } }));
    const r = await run(['release', '--registry', registry.basic, '--sign-command', 'true'], { cwd: repo.dir, env: { HOME: out, DOCKER_CONFIG: docker } });
    expect(r.stderr + r.stdout).not.toContain(registry.password);
    expect(r.stdout).toMatch(/^staging: 1\.3\.2 \(.*\): published 127\.0\.0\.1:\d+\/.*\/falco-rules-staging@sha256:[0-9a-f]{64}, tagged staging\/v1\.3\.2$/m);
    expect(r.code).toBe(0);
    expect(tags()).toContain('staging/v1.3.2');
  });

  it('two registries: the same digest and tags on both, signed on both, then one git tag', async () => {
    const tuning = 'environments/staging/overlays/tuning.yaml';
    repo.commit(
      { [tuning]: edit(files[tuning]!, '["10.20.0.10", "10.20.8.0/24"]', '["10.20.0.10", "10.20.8.0/24", "10.20.11.0/24"]') },
      'staging: runners in a second region',
      '2024-05-01T00:00:00Z',
    );
    const r = await release(['--registry', registry.mirror, '--env', 'staging']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      releases: { environment: string; digest: string; registries: { repository: string; tags: { tag: string }[] }[] }[];
    };
    const staging = result.releases[0]!;
    expect(staging.registries.map((g) => g.repository)).toEqual([
      `${registry.open}/${NAMESPACE}/falco-rules-staging`,
      `${registry.mirror}/${NAMESPACE}/falco-rules-staging`,
    ]);
    const onMirror = await fetch(`http://${registry.mirror}/v2/${NAMESPACE}/falco-rules-staging/tags/list`).then(
      (x) => x.json() as Promise<{ tags: string[] }>,
    );
    expect(onMirror.tags.sort()).toEqual(['1', '1.3', '1.3.3', 'latest']);
    for (const host of [registry.open, registry.mirror]) {
      const head = await fetch(`http://${host}/v2/${NAMESPACE}/falco-rules-staging/manifests/latest`, {
        method: 'HEAD',
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      expect(head.headers.get('docker-content-digest')).toBe(staging.digest);
    }
    const signed = readFileSync(join(out, 'signed.log'), 'utf8').trim().split('\n').slice(-2);
    expect(signed).toEqual(staging.registries.map((g) => `${g.repository}@${staging.digest}`));
    expect(tags()).toContain('staging/v1.3.3');
  });
});
