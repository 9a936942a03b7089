import { describe, expect, it } from 'vitest';
import { parseLockFile, renderLockFile, withLockedRuleset, EMPTY_LOCK, type LockedRuleset } from '../../src/upstream/index.js';

const SHA = 'a'.repeat(64);
const OCI: LockedRuleset = {
  name: 'falco_rules',
  version: '4.0.0',
  file: 'rules/upstream/falco_rules.yaml',
  sha256: SHA,
  source: { kind: 'oci', reference: 'ghcr.io/falcosecurity/rules/falco-rules:4.0.0', digest: `sha256:${'b'.repeat(64)}` },
};

describe('upstream lock file', () => {
  it('round-trips through YAML, rulesets sorted by name', () => {
    const path: LockedRuleset = {
      name: 'falco-incubating_rules',
      version: '4.0.1',
      file: 'rules/upstream/falco-incubating_rules.yaml',
      sha256: SHA,
      source: { kind: 'path', path: 'vendor/x.yaml' },
    };
    const lock = withLockedRuleset(withLockedRuleset(EMPTY_LOCK, OCI), path);
    const text = renderLockFile(lock);
    const parsed = parseLockFile(text, 'upstream.lock.yaml');
    expect(parsed).toEqual({ ok: true, lock: { version: 1, rulesets: [path, OCI] } });
  });

  it('replaces the entry of a ruleset pulled again', () => {
    const lock = withLockedRuleset(withLockedRuleset(EMPTY_LOCK, OCI), { ...OCI, version: '5.0.0' });
    expect(lock.rulesets.map((r) => r.version)).toEqual(['5.0.0']);
  });

  it('names the line of a bad entry', () => {
    const text = 'version: 1\nrulesets:\n  - name: falco_rules\n    version: 4.0.0\n    file: f.yaml\n    sha256: nothex\n    source: {kind: path, path: x}\n';
    const parsed = parseLockFile(text, 'lock.yaml');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.diagnostics.map((d) => [d.location.line, d.message])).toEqual([[3, "ruleset 'falco_rules': sha256 must be 64 lowercase hex digits"]]);
    }
  });

  it('rejects an oci source without a digest and malformed YAML', () => {
    const noDigest = `version: 1\nrulesets:\n  - {name: a, version: 1.0.0, file: a.yaml, sha256: ${SHA}, source: {kind: oci, reference: r}}\n`;
    const r1 = parseLockFile(noDigest, 'l.yaml');
    expect(!r1.ok && r1.diagnostics[0]!.message).toBe("ruleset 'a': an oci source needs `reference` and a `digest` sha256:<64 hex>");
    const r2 = parseLockFile('version: 1\nrulesets: [\n', 'l.yaml');
    expect(r2.ok).toBe(false);
  });
});
