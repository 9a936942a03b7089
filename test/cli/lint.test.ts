import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { simpleGit } from 'simple-git';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';

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
    const text = rule('R', 'evt.type = execve and proc.name = a or evt.type = open') + '- rule: R\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n';
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
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'sarif.yaml' }, region: { startLine: 3, startColumn: 14 } });
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
    put('rules/upstream/up.yaml', '- list: user_shells\n  items: []\n' + rule('Shell', 'evt.type = execve and (proc.name = a or proc.name = b or proc.name = c)'));
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
    put('rules/org.yaml', rule('Old', 'evt.type = execve and proc.name = nc').replace('NOTICE', 'CRITICAL') + rule('New', 'evt.type = execve and proc.name = socat').replace('NOTICE', 'ERROR'));
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
