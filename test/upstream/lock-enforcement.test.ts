/**
 * The lock is enforced: on a repository started with `init` that pins real upstream rules, a
 * vendored file edited by hand, a pinned file that was deleted and an unpinned file in the vendored
 * folder each fail `validate` and `ci` with an error naming the file; `upstream remove` unpins a
 * ruleset nothing needs and refuses one an environment still uses.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TempRepo } from '../git/temp-repo.js';
import { initRepository, type InitRepository } from '../automation/init-repo.js';
import { LATEST_TRIO, missingUpstream, UPSTREAM_RULES } from '../helpers/shared.js';
import { parseLockFile, sha256Hex } from '../../src/upstream/index.js';

const [FALCO_RULES, INCUBATING] = LATEST_TRIO;
const missing = missingUpstream(FALCO_RULES, INCUBATING);
const LOCK = 'rules/upstream/upstream.lock.yaml';
const VENDORED = 'rules/upstream/falco_rules.yaml';

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  hint?: string;
  location: { file: string; line: number };
}

describe.skipIf(missing !== undefined)(`the upstream lock, enforced${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let setup: InitRepository;
  let repo: TempRepo;
  const cli = (...argv: string[]) => setup.cli(...argv);
  const drift = async () => {
    const r = await cli('validate', '--format', 'json');
    const report = JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[]; summary: { passed: boolean } };
    return { code: r.code, passed: report.summary.passed, drift: report.diagnostics.filter((d) => d.code === 'UPSTREAM_LOCK_DRIFT') };
  };
  beforeAll(async () => {
    setup = await initRepository([
      ['falco_rules', '5.1.0', FALCO_RULES],
      ['falco-incubating_rules', '6.0.1', INCUBATING],
    ]);
    repo = setup.repo;
  });
  afterAll(() => setup.remove());
  beforeEach(() => {
    execFileSync('git', ['reset', '-q', '--hard', 'HEAD'], { cwd: repo.dir });
    execFileSync('git', ['clean', '-q', '-fd'], { cwd: repo.dir });
  });

  it('passes while every vendored file matches its lock entry', async () => {
    expect(await drift()).toEqual({ code: 0, passed: true, drift: [] });
  });

  it('a hand-edited vendored file fails validate, naming the file, both sha256 and the way back', async () => {
    const original = readFileSync(join(repo.dir, VENDORED), 'utf8');
    const edited = original.replace('- list: shell_binaries', '- list: shell_binaries # tuned here by hand');
    expect(edited).not.toBe(original);
    writeFileSync(join(repo.dir, VENDORED), edited);
    const r = await drift();
    expect(r.code).toBe(1);
    expect(r.passed).toBe(false);
    expect(r.drift).toHaveLength(1);
    const [d] = r.drift;
    expect(d.severity).toBe('error');
    expect(d.location.file).toBe(VENDORED);
    expect(d.message).toBe(
      `upstream file ${VENDORED} differs from the lock (sha256 ${sha256Hex(edited)}, locked ${sha256Hex(original)} for falco_rules 5.1.0)`,
    );
    expect(d.hint).toContain(`git checkout -- ${VENDORED}`);
    expect(d.hint).toContain(
      `falco-gitops upstream pull falco_rules --version 5.1.0 --from ${join(UPSTREAM_RULES, FALCO_RULES)} --sha256 ${sha256Hex(original)}`,
    );
    // the text report carries the same error and its hint
    const text = await cli('validate');
    expect(text.stdout).toContain(`${VENDORED}:1:1  error  upstream file ${VENDORED} differs from the lock`);
    expect(text.stdout).toContain('hint: restore the pinned file');
  });

  it('the hint restores the file: pulling it again makes validate pass', async () => {
    appendFileSync(join(repo.dir, VENDORED), '\n# a line of ours\n');
    const hint = (await drift()).drift[0].hint!;
    const pull = /`falco-gitops (upstream pull [^`]+)`/.exec(hint)![1].split(' ');
    expect((await cli(...pull)).code).toBe(0);
    expect(await drift()).toEqual({ code: 0, passed: true, drift: [] });
  });

  it('a pinned file that was deleted fails, at its lock entry; an unpinned file in rules/upstream/ fails too', async () => {
    rmSync(join(repo.dir, 'rules/upstream/falco-incubating_rules.yaml'));
    writeFileSync(join(repo.dir, 'rules/upstream/extra_rules.yaml'), '- list: extra_binaries\n  items: [nc]\n');
    const r = await drift();
    expect(r.code).toBe(1);
    const lockLines = readFileSync(join(repo.dir, LOCK), 'utf8').split('\n');
    const entryLine = lockLines.findIndex((l) => l.includes('name: falco-incubating_rules')) + 1;
    expect(r.drift.map((d) => [d.location.file, d.location.line, d.message])).toEqual([
      ['rules/upstream/extra_rules.yaml', 1, `upstream file rules/upstream/extra_rules.yaml is in rules/upstream/ but not pinned in ${LOCK}`],
      [LOCK, entryLine, 'upstream file rules/upstream/falco-incubating_rules.yaml is pinned in the lock (falco-incubating_rules 6.0.1) but missing'],
    ]);
    expect(r.drift[1].hint).toContain('falco-gitops upstream remove falco-incubating_rules');
  });

  it('ci fails its validate gate on drift and the PR comment names the file', async () => {
    repo.commit({ [VENDORED]: readFileSync(join(repo.dir, VENDORED), 'utf8') + '\n# hand edit\n' }, 'edit a vendored file');
    try {
      const json = await cli('ci', '--base', 'HEAD~1', '--format', 'json');
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout) as { data: { gates: { gate: string; passed: boolean }[] }; diagnostics: JsonDiagnostic[] };
      expect(report.data.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual(['validate']);
      expect(report.diagnostics.filter((d) => d.code === 'UPSTREAM_LOCK_DRIFT').map((d) => d.location.file)).toEqual([VENDORED]);
      const markdown = await cli('ci', '--base', 'HEAD~1', '--format', 'markdown');
      expect(markdown.code).toBe(1);
      // Markdown-escaped: the underscores of falco_rules are not emphasis
      expect(markdown.stdout).toContain(`upstream file ${VENDORED.replaceAll('_', '\\_')} differs from the lock`);
      expect(markdown.stdout).toContain('UPSTREAM_LOCK_DRIFT');
    } finally {
      execFileSync('git', ['reset', '-q', '--hard', 'HEAD~1'], { cwd: repo.dir });
    }
  });

  it('upstream remove unpins a ruleset nothing needs: lock entry and file gone, validate clean', async () => {
    const r = await cli('upstream', 'remove', 'falco-incubating_rules', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { removed: { name: string; version: string }; deleted: string[]; references: unknown[]; forced: boolean };
    expect(out).toMatchObject({
      removed: { name: 'falco-incubating_rules', version: '6.0.1' },
      deleted: ['rules/upstream/falco-incubating_rules.yaml'],
      references: [],
      forced: false,
    });
    expect(existsSync(join(repo.dir, 'rules/upstream/falco-incubating_rules.yaml'))).toBe(false);
    const lock = parseLockFile(readFileSync(join(repo.dir, LOCK), 'utf8'), LOCK);
    expect(lock.ok && lock.lock.rulesets.map((x) => x.name)).toEqual(['demo_rules', 'falco_rules']);
    expect(await drift()).toEqual({ code: 0, passed: true, drift: [] });
  });

  it('upstream remove refuses a ruleset our rules still append to, naming the environments, unless --force', async () => {
    const refused = await cli('upstream', 'remove', 'demo_rules');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("production: rules/org_rules.yaml:15:3: error LOAD_ERR_VALIDATE: Rule uses 'append'");
    expect(refused.stderr).toContain("ruleset 'demo_rules' (rules/upstream/demo_rules.yaml) is still needed by environment 'production', 'staging'");
    expect(existsSync(join(repo.dir, 'rules/upstream/demo_rules.yaml'))).toBe(true);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo.dir, encoding: 'utf8' })).toBe('');

    const forced = await cli('upstream', 'remove', 'demo_rules', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`removed demo_rules 1.0.0 from ${LOCK} and deleted rules/upstream/demo_rules.yaml`);
    expect(existsSync(join(repo.dir, 'rules/upstream/demo_rules.yaml'))).toBe(false);
    // the lock is consistent, the environments are what is now broken
    const after = await drift();
    expect(after.drift).toEqual([]);
    expect(after.code).toBe(1);
  });

  it('upstream remove of a name not in the lock is a usage error with a suggestion; --help ends with the exit codes', async () => {
    const r = await cli('upstream', 'remove', 'falco_rule');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "ruleset 'falco_rule' is not in rules/upstream/upstream.lock.yaml (locked: demo_rules, falco-incubating_rules, falco_rules); did you mean 'falco_rules'?",
    );
    const help = await cli('upstream', 'remove', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Exit codes: 0 removed · 2 /);
    expect((await cli('upstream', '--help')).stdout).toMatch(/remove \[options\] <ruleset>/);
  });
});
