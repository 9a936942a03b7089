/** Which new upstream file `upstream check --to` and `upstream update --from` read for each locked ruleset. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveNewUpstream } from '../../src/cli/upstream-inputs.js';
import { CliError } from '../../src/cli/exit.js';
import { parseLockFile, type UpstreamLock } from '../../src/upstream/index.js';

const dir = mkdtempSync(join(tmpdir(), 'falco-gitops-upstream-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const entry = (name: string) =>
  `  - name: ${name}\n    version: 1.0.0\n    file: rules/upstream/${name}.yaml\n    sha256: ${'a'.repeat(64)}\n    source: {kind: path, path: rules/upstream/${name}.yaml}\n`;
const parsed = parseLockFile(`version: 1\nrulesets:\n${entry('falco_rules')}${entry('falco-incubating_rules')}`, 'upstream.lock.yaml');
if (!parsed.ok) throw new Error(`the test lock does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
const lock: UpstreamLock = parsed.lock;
writeFileSync(join(dir, 'rules-5.1.0.yaml'), '[]\n');
mkdirSync(join(dir, 'next'));
writeFileSync(join(dir, 'next', 'falco_rules.yaml'), '[]\n');

const resolved = (to: string) => [...resolveNewUpstream(lock, to, dir)].map(([name, { given }]) => [name, given]);
const refusal = (to: string) => {
  try {
    resolveNewUpstream(lock, to, dir);
  } catch (e) {
    return e instanceof CliError ? e.message : String(e);
  }
  return 'accepted';
};

describe('--to with several locked rulesets', () => {
  it('<ruleset>=<file> says which ruleset a file of any name is for; the lock records the file as given', () => {
    expect(resolved('falco_rules=rules-5.1.0.yaml')).toEqual([['falco_rules', 'rules-5.1.0.yaml']]);
  });

  it('a directory gives each ruleset it holds as <ruleset>.yaml', () => {
    expect(resolved('next')).toEqual([['falco_rules', 'next']]);
  });

  it('a file that names no ruleset says the three ways to name it', () => {
    expect(refusal('rules-5.1.0.yaml')).toBe(
      '--to rules-5.1.0.yaml: several rulesets are locked (falco_rules, falco-incubating_rules); write --to <ruleset>=rules-5.1.0.yaml, name the file <ruleset>.yaml, or pass a directory',
    );
  });

  it("upstream update's --from is named as such", () => {
    expect(() => resolveNewUpstream(lock, 'rules-5.1.0.yaml', dir, '--from')).toThrow(
      /^--from rules-5\.1\.0\.yaml: .*write --from <ruleset>=rules-5\.1\.0\.yaml/,
    );
  });

  it('a ruleset that is not locked, or a file that is not there, is refused by name', () => {
    expect(refusal('falco_sandbox=rules-5.1.0.yaml')).toBe(
      "--to falco_sandbox=rules-5.1.0.yaml: 'falco_sandbox' is not a locked ruleset (falco_rules, falco-incubating_rules)",
    );
    expect(refusal('falco_rules=missing.yaml')).toBe('--to falco_rules=missing.yaml: missing.yaml is not a file');
    expect(refusal('falco_rules=next')).toBe('--to falco_rules=next: next is not a file');
  });
});
