/**
 * Docker credential helpers (`credHelpers`, `credsStore`) through the real helper protocol: a
 * `docker-credential-<name>` executable on PATH reads the host on stdin and prints
 * {"Username","Secret"}, or "credentials not found" with a failing status.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCredential } from '../../src/oci/index.js';

let dir: string;
const savedPath = process.env.PATH;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fg-cred-helpers-'));
  // Answers for one host only, as real helpers do for hosts they hold nothing for.
  writeFileSync(
    join(dir, 'docker-credential-vault'),
    '#!/bin/sh\n[ "$1" = get ] || exit 2\nread host\nif [ "$host" = "registry.acme.internal" ]; then\n' +
      '  printf \'{"ServerURL":"%s","Username":"robot","Secret":"s3cr3t-from-helper"}\' "$host"\nelse\n  echo "credentials not found in native keychain"; exit 1\nfi\n',
  );
  writeFileSync(join(dir, 'docker-credential-broken'), '#!/bin/sh\necho "not json"\n');
  chmodSync(join(dir, 'docker-credential-vault'), 0o755);
  chmodSync(join(dir, 'docker-credential-broken'), 0o755);
  process.env.PATH = `${dir}${delimiter}${savedPath ?? ''}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
});

function dockerConfig(name: string, config: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('Docker credential helpers', () => {
  it('credHelpers names the helper for one registry host', async () => {
    const path = dockerConfig('per-host', { credHelpers: { 'registry.acme.internal': 'vault' } });
    expect(await resolveCredential('registry.acme.internal', { dockerConfigPath: path })).toEqual({
      credential: { username: 'robot', password: 's3cr3t-from-helper' },
      source: 'docker-credential-vault',
    });
  });

  it('credsStore is the default helper; "credentials not found" falls back to auths, then anonymous', async () => {
    const auth = Buffer.from('ci:from-auths').toString('base64');
    const path = dockerConfig('store', { credsStore: 'vault', auths: { 'https://ghcr.io/v1/': { auth } } });
    expect(await resolveCredential('registry.acme.internal', { dockerConfigPath: path })).toMatchObject({ source: 'docker-credential-vault' });
    expect(await resolveCredential('ghcr.io', { dockerConfigPath: path })).toEqual({
      credential: { username: 'ci', password: 'from-auths' },
      source: 'docker config (auths)',
    });
    expect(await resolveCredential('quay.io', { dockerConfigPath: path })).toEqual({ credential: null, source: 'anonymous' });
  });

  it('flags and the environment come before the Docker config', async () => {
    const path = dockerConfig('order', { credsStore: 'vault' });
    const env = { FALCO_GITOPS_REGISTRY_USERNAME: 'env-user', FALCO_GITOPS_REGISTRY_PASSWORD: 'env-pass' };
    expect((await resolveCredential('registry.acme.internal', { dockerConfigPath: path, env })).source).toBe('environment');
    const explicit = { username: 'flag-user', password: 'flag-pass' };
    expect((await resolveCredential('registry.acme.internal', { dockerConfigPath: path, env, explicit })).source).toBe('--username');
  });

  it('a helper that prints no JSON is a clear error naming the helper, without its output', async () => {
    const path = dockerConfig('broken', { credHelpers: { 'registry.acme.internal': 'broken' } });
    const failure = await resolveCredential('registry.acme.internal', { dockerConfigPath: path }).then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(failure).toContain('docker-credential-broken printed no JSON for registry.acme.internal');
    expect(failure).not.toContain('not json');
  });
});
