/**
 * The example repository against the next release of its demo upstream: `upstream check` and
 * `upstream update` over rules/upstream/demo_rules.yaml (1.0.0, locked) and
 * examples/upstream-next/demo_rules.yaml (1.1.0). Every expected finding was worked out by hand
 * from the two files and the overlays (lines are where the item starts; `theirs` locations are
 * lines of the new text in the vendored file it replaces).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ShadowFinding } from '../../../src/analysis/shadow/index.js';
import { parseLockFile, sha256Hex } from '../../../src/upstream/index.js';
import { run } from '../../helpers/cli.js';
import { REPO_ROOT } from '../../helpers/shared.js';

const NEXT = 'examples/upstream-next/demo_rules.yaml';
const UPSTREAM = 'rules/upstream/demo_rules.yaml';
const PROD = 'environments/production/overlays/tuning.yaml';
const STAGING = 'environments/staging/overlays/tuning.yaml';
const at = (file: string, line: number) => ({ file, line, column: 3 });

/** What a finding asserts, message wording aside. */
function facts(f: ShadowFinding) {
  return {
    id: f.id,
    kind: f.kind,
    itemName: f.itemName,
    environment: f.environment,
    severity: f.severity,
    relation: f.relation,
    ours: f.ours,
    base: f.base,
    theirs: f.theirs,
    ...(f.fields ? { fields: f.fields } : {}),
    ...(f.kind === 'orphaned' ? { failsToLoad: f.failsToLoad, renamedTo: f.renamedTo } : {}),
    ...(f.rules ? { rules: f.rules } : {}),
  };
}

const changedSshHosts = (environment: string, ours: ReturnType<typeof at>, oursCondition: string) => ({
  id: 'changed-underneath/macro/allowed_ssh_hosts',
  kind: 'changed-underneath',
  itemName: 'allowed_ssh_hosts',
  environment,
  severity: 'warning',
  relation: 'replace',
  ours,
  base: at(UPSTREAM, 47),
  theirs: at(UPSTREAM, 60),
  fields: [{ field: 'condition', base: '(never_true)', theirs: '(fd.rip in (allowed_ssh_peers))', ours: oursCondition }],
});

const inheritedSshHosts = (environment: string, ours: ReturnType<typeof at>) => ({
  id: 'inherited/macro/allowed_ssh_hosts',
  kind: 'inherited',
  itemName: 'allowed_ssh_hosts',
  environment,
  severity: 'warning',
  relation: 'replace',
  ours,
  base: at(UPSTREAM, 47),
  theirs: at(UPSTREAM, 60),
  rules: [{ rule: 'Outbound SSH connection', reason: 'new', theirs: at(UPSTREAM, 130) }],
});

const EXPECTED = [
  changedSshHosts('production', at(PROD, 31), '(fd.cip = "10.20.0.10")'),
  inheritedSshHosts('production', at(PROD, 31)),
  {
    id: 'orphaned/macro/user_known_read_sensitive_files_activities',
    kind: 'orphaned',
    itemName: 'user_known_read_sensitive_files_activities',
    environment: 'production',
    // A replaced macro needs no upstream definition (§2.2): Falco loads it, and it tunes nothing.
    severity: 'warning',
    relation: 'replace',
    ours: at(PROD, 52),
    base: at(UPSTREAM, 55),
    theirs: at(UPSTREAM, 68),
    failsToLoad: false,
    renamedTo: 'user_read_sensitive_file_conditions',
  },
  changedSshHosts('staging', at(STAGING, 20), '(fd.cnet in (staging_ssh_peers))'),
  {
    id: 'changed-underneath/rule/Read sensitive file untrusted',
    kind: 'changed-underneath',
    itemName: 'Read sensitive file untrusted',
    environment: 'staging',
    severity: 'warning',
    relation: 'replace',
    ours: at(STAGING, 33),
    base: at(UPSTREAM, 69),
    theirs: at(UPSTREAM, 86),
    fields: [{ field: 'priority', base: 'Warning', theirs: 'Error', ours: 'Notice' }],
  },
  inheritedSshHosts('staging', at(STAGING, 20)),
];

interface CheckReport {
  command: string;
  diagnostics: unknown[];
  summary: { passed: boolean; errors: number; warnings: number; notes: number };
  findings: { checkId: string; environment?: string; location: unknown }[];
  data: { schemaVersion: number; findings: ShadowFinding[] };
}

describe('the example repository against demo_rules 1.1.0 (examples/upstream-next)', () => {
  it('upstream check finds each shadowed default in the environment that has it', async () => {
    const r = await run(['upstream', 'check', '--to', NEXT, '--format', 'json'], { cwd: REPO_ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.data.findings.map(facts)).toEqual(EXPECTED);
    expect(report.diagnostics).toEqual([]);
    expect(report.summary).toMatchObject({ passed: false, errors: 0, warnings: 6, notes: 0 });
    // The report's findings are the same, ordered by our location (file, line), then environment and kind.
    expect(report.findings.map((f) => [f.checkId, f.environment, f.location])).toEqual([
      ['changed-underneath', 'production', at(PROD, 31)],
      ['inherited', 'production', at(PROD, 31)],
      ['orphaned', 'production', at(PROD, 52)],
      ['changed-underneath', 'staging', at(STAGING, 20)],
      ['inherited', 'staging', at(STAGING, 20)],
      ['changed-underneath', 'staging', at(STAGING, 33)],
    ]);
    const orphan = report.data.findings.find((f) => f.kind === 'orphaned')!;
    expect(orphan.message).toBe(
      "upstream removed macro 'user_known_read_sensitive_files_activities' (it likely became macro 'user_read_sensitive_file_conditions'); our copy now stands alone and upstream no longer uses it",
    );
    expect(orphan.fix).toBe("rename our macro 'user_known_read_sensitive_files_activities' to 'user_read_sensitive_file_conditions' and review it");
  });

  it('--to <ruleset>=<file> reads the same new upstream as the file named <ruleset>.yaml', async () => {
    const byName = await run(['upstream', 'check', '--to', `demo_rules=${NEXT}`, '--format', 'json'], { cwd: REPO_ROOT });
    const byFile = await run(['upstream', 'check', '--to', NEXT, '--format', 'json'], { cwd: REPO_ROOT });
    expect(byName.code).toBe(1);
    expect(byName.stdout).toBe(byFile.stdout);
  });

  it('the upstream moves our overlays do not shadow stay quiet', async () => {
    const r = await run(['upstream', 'check', '--to', NEXT, '--format', 'json'], { cwd: REPO_ROOT });
    const names = new Set((JSON.parse(r.stdout) as CheckReport).data.findings.map((f) => f.itemName));
    // 1.1.0 also adds a hook to a rule we only toggle and tag, and keeps the write-below-etc hook we replace as it was.
    for (const quiet of ['Launch package management process in container', 'user_known_write_below_etc_activities', 'Terminal shell in container'])
      expect(names.has(quiet)).toBe(false);
  });

  it("the README's excerpt of the text output is what the command prints", async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## See a shadowed default'));
    const block = /```\w*\n\$ (falco-gitops upstream check [^\n]*)\n([\s\S]*?)```/.exec(section);
    expect(block).not.toBeNull();
    const argv = block![1]!.split(' ').slice(1);
    const r = await run(argv, { cwd: REPO_ROOT });
    expect(r.code).toBe(1);
    const shown = block![2]!.split('\n').filter((l) => l.trim() !== '' && l.trim() !== '…');
    expect(shown.length).toBeGreaterThan(5);
    const printed = r.stdout.split('\n');
    for (const line of shown) expect(printed).toContain(line);
  });

  describe('upstream update on a copy of the repository', () => {
    const roots: string[] = [];
    afterEach(() => {
      for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
    });
    const copyRepository = (): string => {
      const root = mkdtempSync(join(tmpdir(), 'falco-gitops-example-'));
      roots.push(root);
      for (const path of ['rules', 'environments', 'schemas', 'examples', 'falco-gitops.yaml'])
        cpSync(join(REPO_ROOT, path), join(root, path), { recursive: true });
      return root;
    };
    const update = (root: string) => run(['upstream', 'update', '--to', '1.1.0', '--from', NEXT, '--rebase', '--format', 'json'], { cwd: root });

    it('moves the pin to 1.1.0, leaves the shadowed defaults for a human, and the repository still validates', async () => {
      const root = copyRepository();
      const before = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
      const after = (path: string) => readFileSync(join(root, path), 'utf8');
      const r = await update(root);
      expect(r.stderr).toBe('');
      // Nothing was rebased away, so the warnings above remain: exit 1.
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout) as { version: string; findings: ShadowFinding[]; rewrites: unknown[]; conflicts: unknown[] };
      expect(result.version).toBe('1.1.0');
      expect(result.findings.map(facts)).toEqual(EXPECTED);
      expect(result.rewrites).toEqual([]);

      expect(after(UPSTREAM)).toBe(before(NEXT));
      const lock = parseLockFile(after('rules/upstream/upstream.lock.yaml'), 'lock');
      expect(lock).toEqual({
        ok: true,
        lock: {
          version: 1,
          rulesets: [{ name: 'demo_rules', version: '1.1.0', file: UPSTREAM, sha256: sha256Hex(before(NEXT)), source: { kind: 'path', path: NEXT } }],
        },
      });
      for (const path of [PROD, STAGING, 'environments/production/overlays/production_rules.yaml', 'rules/acme_rules.yaml'])
        expect(after(path)).toBe(before(path));

      const v = await run(['validate', '--format', 'json'], { cwd: root });
      expect(v.code).toBe(0);
      const validated = JSON.parse(v.stdout) as {
        diagnostics: { code: string; severity: string; itemName: string; location: { file: string; line: number } }[];
        data: { environments: { environment: string; ok: boolean; rules: number; enabledRules: number; errors: number; warnings: number }[] };
      };
      // The new rule "Outbound SSH connection" joins both environments; upstream's hook list is
      // unused where our copy of allowed_ssh_hosts replaces the macro that reads it, and our old
      // read-sensitive hook is unused in production.
      expect(validated.data.environments).toEqual([
        { environment: 'production', target: 'falco 0.44.1 (container)', ok: true, rules: 11, enabledRules: 11, errors: 0, warnings: 2 },
        { environment: 'staging', target: 'falco 0.44.1 (container)', ok: true, rules: 10, enabledRules: 8, errors: 0, warnings: 1 },
      ]);
      const seen = new Set(validated.diagnostics.map((d) => `${d.severity} ${d.code} ${d.itemName} ${d.location.file}:${d.location.line}`));
      expect([...seen].sort()).toEqual([
        `warning LOAD_UNUSED_LIST allowed_ssh_peers ${UPSTREAM}:57`,
        `warning LOAD_UNUSED_MACRO user_known_read_sensitive_files_activities ${PROD}:52`,
      ]);
    });

    // `override: {condition: replace}` on a macro is a plain define in Falco (§2.2): a copy the rebase weighs.
    it('lists a conflict for each replaced macro upstream changed or removed', async () => {
      const root = copyRepository();
      const result = JSON.parse((await update(root)).stdout) as { conflicts: { file: string; itemType: string; name: string; line: number }[] };
      expect(result.conflicts.map((c) => [c.file, c.line, c.itemType, c.name])).toEqual([
        [PROD, 31, 'macro', 'allowed_ssh_hosts'],
        [PROD, 52, 'macro', 'user_known_read_sensitive_files_activities'],
        [STAGING, 20, 'macro', 'allowed_ssh_hosts'],
      ]);
    });
  });
});
