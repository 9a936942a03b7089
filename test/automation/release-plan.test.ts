import { describe, expect, it } from 'vitest';
import { decideRelease, engineRequirement, githubActionsSignature, latestReleaseTag, targetRepositories } from '../../src/automation/index.js';

describe('latestReleaseTag', () => {
  it('takes the highest semver tag of the environment only', () => {
    const tags = ['production/v1.9.0', 'production/v1.10.0', 'production/vnext', 'prod/v9.0.0', 'staging/v3.0.0', 'production/v1.10.0-rc.1'];
    expect(latestReleaseTag('production', tags)).toEqual({ tag: 'production/v1.10.0', version: '1.10.0' });
    expect(latestReleaseTag('qa', tags)).toBeNull();
  });
});

describe('decideRelease', () => {
  const previous = { tag: 'production/v1.7.0', version: '1.7.0' };
  it.each([
    [
      { previous: null, changes: 3, bump: 'minor' as const, declaredVersion: '1.0.0' },
      { action: 'publish', version: '1.0.0' },
    ],
    [{ previous, changes: 0, bump: 'none' as const, declaredVersion: '1.7.0' }, { action: 'skip' }],
    [
      { previous, changes: 2, bump: 'patch' as const, declaredVersion: '1.7.0' },
      { action: 'publish', version: '1.7.1' },
    ],
    [
      { previous, changes: 1, bump: 'major' as const, declaredVersion: '1.7.0' },
      { action: 'publish', version: '2.0.0' },
    ],
    [
      { previous, changes: 1, bump: 'none' as const, declaredVersion: '1.7.0' },
      { action: 'publish', version: '1.7.1' },
    ],
    [
      { previous, changes: 1, bump: 'patch' as const, declaredVersion: '1.9.0' },
      { action: 'publish', version: '1.9.0' },
    ],
  ])('%j', (input, expected) => {
    expect(decideRelease({ environment: 'production', ...input })).toMatchObject(expected);
  });
});

describe('artifact details', () => {
  it('engine requirement: numeric N is 0.N.0', () => {
    expect(engineRequirement('26')).toBe('0.26.0');
    expect(engineRequirement('0.31.0')).toBe('0.31.0');
    expect(engineRequirement(null)).toBeNull();
  });

  it('a registry override keeps the repository path', () => {
    expect(targetRepositories(['ghcr.io/acme/falco-rules-production'], ['127.0.0.1:5000'])).toEqual(['127.0.0.1:5000/acme/falco-rules-production']);
    expect(targetRepositories(['ghcr.io/acme/falco-rules-production'], undefined)).toEqual(['ghcr.io/acme/falco-rules-production']);
    expect(targetRepositories(['ghcr.io/acme/falco-rules-production', 'eu.example/acme/falco-rules-production'], [])).toEqual([
      'ghcr.io/acme/falco-rules-production',
      'eu.example/acme/falco-rules-production',
    ]);
    expect(targetRepositories(['ghcr.io/acme/falco-rules-production'], ['127.0.0.1:5000', '127.0.0.1:5001'])).toEqual([
      '127.0.0.1:5000/acme/falco-rules-production',
      '127.0.0.1:5001/acme/falco-rules-production',
    ]);
  });

  it('the GitHub Actions keyless identity is the repository prefix under the Actions issuer', () => {
    expect(githubActionsSignature('https://github.com/', 'acme/rules')).toEqual({
      certificateOidcIssuer: 'https://token.actions.githubusercontent.com',
      certificateIdentityRegexp: 'https://github.com/acme/rules/',
    });
  });
});
