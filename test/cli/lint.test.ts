import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { simpleGit } from 'simple-git';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/analysis/lint/index.js';
import { lintPolicyFrom } from '../../src/cli/lint.js';
import type { Policy } from '../../src/config/index.js';
import { run } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const require = createRequire(import.meta.url);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fg-lint-'));
});

function file(name: string, content: string): string {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), content);
  return name;
}

const rule = (name: string, condition: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o %proc.name\n  priority: NOTICE\n${extra}`;

describe('falco-gitops lint FILE...', () => {
  it('exits 0 on warnings alone and prints them with file:line:col', async () => {
    const r = await run(['lint', file('warn.yaml', rule('Netcat', 'proc.name = nc'))], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warn.yaml:3:14  warning  rule "Netcat" does not restrict evt.type: it is evaluated on every event  [no-evttype]');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('lint: passed (0 errors, 1 warning)');
  });

  it('exits 1 when a finding is an error', async () => {
    const text =
      rule('R', 'evt.type = execve and proc.name = a or evt.type = open') +
      '- rule: R\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n';
    const r = await run(['lint', '--format', 'json', file('err.yaml', text)], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { checkId: string }) => f.checkId)).toEqual(['append-precedence']);
  });

  it('with --upstream, reports overlays that redefine upstream items', async () => {
    const up = file('up.yaml', rule('Shell', 'evt.type = execve and proc.name = bash'));
    const mine = file('mine.yaml', rule('Shell', 'evt.type = execve and proc.name = zsh'));
    const r = await run(['lint', '--format', 'json', '--upstream', up, mine], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { checkId: string; location: { file: string; line: number } }) => [f.checkId, f.location.file, f.location.line])).toEqual([
      ['overwrite-upstream', 'mine.yaml', 1],
    ]);
  });

  it('writes SARIF 2.1.0 that validates', async () => {
    const r = await run(['lint', '--format', 'sarif', file('sarif.yaml', rule('Netcat', 'proc.name = nc'))], { cwd: dir });
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    const log = JSON.parse(r.stdout);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['no-evttype']);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'sarif.yaml' },
      region: { startLine: 3, startColumn: 14 },
    });
  });

  it('refuses FILE... together with --env, and an unknown format (exit 2)', async () => {
    expect((await run(['lint', '--env', 'prod', 'x.yaml'], { cwd: dir })).code).toBe(2);
    expect((await run(['lint', '--format', 'xml', file('f.yaml', rule('R', 'evt.type = open'))], { cwd: dir })).code).toBe(2);
  });

  it('has help with examples', async () => {
    const r = await run(['lint', '--help'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('falco-gitops lint --env production --format sarif');
  });
});

describe('falco-gitops lint (repository)', () => {
  it('lints each environment, failing on checks the environment policy names', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'fg-lint-repo-'));
    const put = (name: string, content: string) => {
      mkdirSync(dirname(join(repo, name)), { recursive: true });
      writeFileSync(join(repo, name), content);
    };
    put(
      'rules/upstream/up.yaml',
      '- list: user_shells\n  items: []\n' + rule('Shell', 'evt.type = execve and (proc.name = a or proc.name = b or proc.name = c)'),
    );
    const env = (name: string, failOn: string) =>
      `description: ${name}\nversion: 1.0.0\nlayers:\n  - rules/upstream/up.yaml\n  - environments/${name}/*.yaml\nartifact:\n  name: falco-rules-${name}\npolicy:\n  lint:\n    failOn: [${failOn}]\n`;
    put('environments/staging/environment.yaml', env('staging', ''));
    put('environments/staging/tune.yaml', rule('Mine', 'evt.type = open and fd.name contains /etc/'));
    put('environments/production/environment.yaml', env('production', 'prefer-startswith'));
    put('environments/production/tune.yaml', rule('Mine', 'evt.type = open and fd.name contains /etc/'));
    const all = await run(['lint', '--format', 'json'], { cwd: repo });
    expect(all.code).toBe(1);
    const json = JSON.parse(all.stdout);
    expect(json.findings.map((f: { checkId: string; location: { file: string } }) => [f.checkId, f.location.file])).toEqual([
      ['prefer-startswith', 'environments/production/tune.yaml'],
      ['prefer-startswith', 'environments/staging/tune.yaml'],
      ['or-chain-to-in', 'rules/upstream/up.yaml'],
    ]);
    const staging = await run(['lint', '--env', 'staging'], { cwd: repo });
    expect(staging.code).toBe(0);
    expect((await run(['lint', '--env', 'nope'], { cwd: repo })).code).toBe(2);
  });

  it('with --base, flags rules new since that revision that start at ERROR or above', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'fg-lint-base-'));
    const put = (name: string, content: string) => {
      mkdirSync(dirname(join(repo, name)), { recursive: true });
      writeFileSync(join(repo, name), content);
    };
    put('environments/prod/environment.yaml', 'description: prod\nversion: 1.0.0\nlayers:\n  - rules/*.yaml\nartifact:\n  name: falco-rules-prod\n');
    put('rules/org.yaml', rule('Old', 'evt.type = execve and proc.name = nc').replace('NOTICE', 'CRITICAL'));
    const git = simpleGit(repo);
    await git.init();
    await git.addConfig('user.email', 'ci@example.com').addConfig('user.name', 'ci');
    await git.add('.');
    await git.commit('base');
    put(
      'rules/org.yaml',
      rule('Old', 'evt.type = execve and proc.name = nc').replace('NOTICE', 'CRITICAL') +
        rule('New', 'evt.type = execve and proc.name = socat').replace('NOTICE', 'ERROR'),
    );
    const r = await run(['lint', '--base', 'HEAD', '--format', 'json'], { cwd: repo });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { checkId: string; itemName: string; location: { line: number } }) => [f.checkId, f.itemName, f.location.line])).toEqual([
      ['priority-for-new-rule', 'New', 6],
    ]);
    const without = JSON.parse((await run(['lint', '--format', 'json'], { cwd: repo })).stdout);
    expect(without.findings).toEqual([]);
    expect((await run(['lint', '--base', 'no-such-ref'], { cwd: repo })).code).toBe(2);
  });
});

describe('falco-gitops lint (repository policy)', () => {
  /** A temp repository: one upstream rule tagged mitre_* only, one organisation rule tagged mitre_* and team_*. */
  function policyRepo(environments: Record<string, string>, defaults = ''): string {
    const repo = mkdtempSync(join(tmpdir(), 'fg-lint-policy-'));
    const put = (name: string, content: string) => {
      mkdirSync(dirname(join(repo, name)), { recursive: true });
      writeFileSync(join(repo, name), content);
    };
    put('rules/upstream/up.yaml', rule('Shell', 'evt.type = execve and proc.name = bash', '  tags: [container, mitre_execution]\n'));
    put('rules/org.yaml', rule('Netcat', 'evt.type = execve and proc.name = nc', '  tags: [mitre_command_and_control, team_secops]\n'));
    if (defaults !== '') put('falco-gitops.yaml', `defaults:\n  policy:\n    lint:\n${defaults}`);
    for (const [name, lint] of Object.entries(environments)) {
      put(`environments/${name}/environment.yaml`, `version: 1.0.0\nlayers: [rules/upstream/up.yaml, rules/org.yaml]\npolicy:\n  lint:\n${lint}`);
    }
    return repo;
  }
  type JsonFinding = { checkId: string; severity: string; itemName: string; message: string; location: { file: string; line: number }; environment?: string };
  const findingsOf = (stdout: string) =>
    (JSON.parse(stdout).findings as JsonFinding[]).map((f) => [f.checkId, f.severity, f.message, `${f.location.file}:${f.location.line}`, f.environment]);

  it('requiredTags: every pattern needs a matching tag; failOn or an error level fails the build, a warning alone does not', async () => {
    const repo = policyRepo(
      {
        production: '    requiredTags: ["mitre_*", "team_*"]\n    failOn: [required-tags]\n',
        audit: '    requiredTags: ["mitre_*", "team_*"]\n',
        strict: '    requiredTags: ["team_*"]\n    severity: { required-tags: error }\n',
        staging: '    failOn: [required-tags]\n',
      },
      '      requiredTags: ["mitre_*"]\n',
    );
    const production = await run(['lint', '--env', 'production', '--format', 'json'], { cwd: repo });
    expect(production.code).toBe(1);
    expect(findingsOf(production.stdout)).toEqual([
      ['required-tags', 'warning', 'rule "Shell" has no tag matching team_*', 'rules/upstream/up.yaml:1', 'production'],
    ]);
    const audit = await run(['lint', '--env', 'audit', '--format', 'json'], { cwd: repo });
    expect(audit.code).toBe(0);
    expect(findingsOf(audit.stdout)).toEqual([['required-tags', 'warning', 'rule "Shell" has no tag matching team_*', 'rules/upstream/up.yaml:1', 'audit']]);
    const strict = await run(['lint', '--env', 'strict', '--format', 'json'], { cwd: repo });
    expect(strict.code).toBe(1);
    expect(findingsOf(strict.stdout)).toEqual([['required-tags', 'error', 'rule "Shell" has no tag matching team_*', 'rules/upstream/up.yaml:1', 'strict']]);
    // staging inherits mitre_* from the defaults, which both rules carry.
    const staging = await run(['lint', '--env', 'staging', '--format', 'json'], { cwd: repo });
    expect(staging.code).toBe(0);
    expect(findingsOf(staging.stdout)).toEqual([]);
  });

  it('costBudget: a rule above the budget fails the build; costTableSize limits the cost table', async () => {
    const repo = policyRepo({ production: '    costBudget: 1.5\n    costTableSize: 1\n', staging: '    costBudget: 10\n' });
    const production = await run(['lint', '--env', 'production', '--format', 'json'], { cwd: repo });
    expect(production.code).toBe(1);
    expect(findingsOf(production.stdout)).toEqual([
      ['cost', 'error', 'rule "Netcat" costs 2 per event, over the budget of 1.5', 'rules/org.yaml:3', 'production'],
      ['cost', 'error', 'rule "Shell" costs 2 per event, over the budget of 1.5', 'rules/upstream/up.yaml:3', 'production'],
    ]);
    expect(JSON.parse(production.stdout).data.costs).toEqual([{ environment: 'production', budget: 1.5, rules: [{ rule: 'Netcat', expected: 2, worst: 2 }] }]);
    const staging = await run(['lint', '--env', 'staging'], { cwd: repo });
    expect(staging.code).toBe(0);
    expect(staging.stdout).toContain('Costliest rules (staging), budget 10');
  });

  it('an unknown check id in any policy is a config error (exit 2) at its place, with the closest id', async () => {
    const repo = policyRepo(
      { production: '    failOn: [required-tag]\n', staging: '    severity:\n      or-chain-to-in: note\n' },
      '      disable: [missing-mitre-tag]\n',
    );
    const r = await run(['lint', '--env', 'staging'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^falco-gitops\.yaml:4:17: unknown lint check 'missing-mitre-tag' in 'defaults\.policy\.lint\.disable' \(known checks: append-precedence, cost, .*, use-user-hook\)$/,
    );
    expect(lines.slice(1)).toEqual([
      "environments/production/environment.yaml:5:14: unknown lint check 'required-tag' in 'policy.lint.failOn' (did you mean 'required-tags'?)",
      'error: the repository configuration names unknown lint checks',
    ]);
  });

  it('the example repository lints clean under its own policy', async () => {
    const r = await run(['lint'], { cwd: REPO_ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Costliest rules (production), budget 5');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('lint: passed (0 errors, 0 warnings)');
  });
});

describe('lintPolicyFrom', () => {
  const base: Policy = {
    lint: { severity: {}, failOn: [], disable: [], requiredTags: [], costBudget: null, costTableSize: null },
    warningsAsErrors: false,
  };

  it('maps every key; disable wins over a severity', () => {
    const policy: Policy = {
      lint: {
        severity: { 'or-chain-to-in': 'warning', 'unused-list': 'error' },
        failOn: ['required-tags'],
        disable: ['unused-list'],
        requiredTags: ['mitre_*', 'team_*'],
        costBudget: 4.5,
        costTableSize: 3,
      },
      warningsAsErrors: false,
    };
    expect(lintPolicyFrom(policy)).toEqual({
      severity: { 'or-chain-to-in': 'warning', 'unused-list': 'off' },
      fail: ['required-tags'],
      requiredTags: ['mitre_*', 'team_*'],
      costBudget: 4.5,
      costTableSize: 3,
    });
    expect(lintPolicyFrom(base)).toEqual({ severity: {}, fail: [] });
  });

  it('warningsAsErrors fails on every check whose level, after overrides, is warning', () => {
    const fail = lintPolicyFrom({
      ...base,
      lint: { ...base.lint, severity: { 'no-evttype': 'note', 'or-chain-to-in': 'warning' } },
      warningsAsErrors: true,
    }).fail;
    const warnings = CHECKS.filter((c) => c.severity === 'warning').map((c) => c.id);
    expect(fail).toContain('or-chain-to-in');
    expect(fail).not.toContain('no-evttype');
    expect([...fail!].sort()).toEqual([...warnings.filter((id) => id !== 'no-evttype'), 'or-chain-to-in'].sort());
  });
});
