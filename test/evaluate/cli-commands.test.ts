import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO, exampleRepoFiles, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeTempRepo));

function tempRepo(files: Record<string, string>): string {
  const root = writeTempRepo(files);
  temps.push(root);
  return root;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });
}

function alertLine(rule: string, fields: Record<string, unknown>, output = rule): string {
  return JSON.stringify({ rule, priority: 'Error', output, output_fields: fields, source: 'syscall', tags: [], time: '2026-11-20T10:00:00.000000000Z' });
}

describe('falco-gitops test', () => {
  it('runs the example repository tests in every environment', async () => {
    const io = captureIO(REPO_ROOT);
    const code = await runCli(['test'], io);
    expect(io.err()).toBe('');
    expect(io.out().trim().split('\n').at(-1)).toBe('67 passed, 0 failed');
    expect(code).toBe(0);
  });

  it('shows the event, the rule and the deciding check of a failure, and exits 1', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['rules/tests/wrong.yaml'] = [
      'tests:',
      '  - name: vim may write the nginx configuration',
      '    event: { evt.type: openat, evt.num: 1, evt.is_open_write: true, fd.typechar: f, fd.num: 4, proc.name: vim, fd.name: /etc/nginx/nginx.conf }',
      '    does_not_fire: [Write below etc]',
      '',
    ].join('\n');
    const root = tempRepo(files);
    const io = captureIO(root);
    expect(await runCli(['test', '--env', 'staging'], io)).toBe(1);
    const out = io.out();
    expect(out).toContain('FAIL  [staging] vim may write the nginx configuration  (rules/tests/wrong.yaml:2:1)');
    expect(out).toContain(
      '  event: evt.type="openat" evt.num=1 evt.is_open_write=true fd.typechar="f" fd.num=4 proc.name="vim" fd.name="/etc/nginx/nginx.conf"',
    );
    expect(out).toContain('  rule "Write below etc": expected does-not-fire, got fires');
    expect(out).toContain('    decided by: proc.name = confd → false');
    expect(out.trim().split('\n').at(-1)).toBe('32 passed, 1 failed');
  });

  it('says where tests go when the repository has none, and passes', async () => {
    const files = Object.fromEntries(Object.entries(exampleRepoFiles(REPO_ROOT)).filter(([path]) => !/(^|\/)tests\//.test(path)));
    const io = captureIO(tempRepo(files));
    expect(await runCli(['test'], io)).toBe(0);
    expect(io.out().trim().split('\n')).toEqual([
      'no rule tests: add test files under rules/tests/ (every environment) or environments/<env>/tests/ (see `falco-gitops test --help`)',
      '0 passed, 0 failed',
    ]);
  });

  it('is an input error (exit 2) when a test file is malformed', async () => {
    const files = exampleRepoFiles(REPO_ROOT);
    files['environments/staging/tests/bad.yaml'] = 'tests:\n  - name: no event\n';
    const io = captureIO(tempRepo(files));
    expect(await runCli(['test', '--format', 'json'], io)).toBe(2);
    expect(io.err()).toContain('environments/staging/tests/bad.yaml:2:5: error INPUT_ERROR');
  });
});

describe('falco-gitops replay and alerts summarize', () => {
  it('replays alerts raised by HEAD against the working tree of one environment', async () => {
    const root = tempRepo(exampleRepoFiles(REPO_ROOT));
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'base');
    writeFileSync(
      join(root, 'environments/production/overlays/tuning.yaml'),
      exampleRepoFiles(REPO_ROOT)['environments/production/overlays/tuning.yaml']!.replace(
        '(proc.name = confd and fd.name startswith /etc/nginx/)',
        '(proc.name = confd and fd.name startswith /etc/nginx/) or (proc.name = puppet and fd.name = /etc/hosts)',
      ),
    );
    const lines = [
      alertLine('Write below etc', { 'fd.name': '/etc/hosts', 'proc.name': 'puppet', 'proc.cmdline': 'puppet agent' }),
      alertLine('Write below etc', { 'fd.name': '/etc/hosts', 'proc.name': 'puppet', 'proc.cmdline': 'puppet agent' }),
      alertLine('Write below etc', { 'fd.name': '/etc/passwd', 'proc.name': 'puppet', 'proc.cmdline': 'puppet agent' }),
      alertLine('Write below etc', { 'fd.name': '/etc/hosts' }),
      alertLine('Terminal shell in container', { 'proc.name': 'bash' }),
      'not json',
    ];
    writeFileSync(join(root, 'alerts.jsonl'), `${lines.join('\n')}\n`);
    const io = captureIO(root);
    expect(await runCli(['replay', '--alerts', 'alerts.jsonl', '--env', 'production', '--format', 'json'], io)).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.base).toMatch(/^environment production at HEAD \([0-9a-f]{12}\)$/);
    expect(r.totals).toEqual({ fires: 2, suppressed: 2, undecided: 1 });
    expect(r.malformed.count).toBe(1);
    const write = r.rules.find((x: { rule: string }) => x.rule === 'Write below etc');
    expect([write.change, write.suppressed, write.fires, write.undecided]).toEqual(['changed', 2, 1, 1]);
    expect(write.missingFields).toEqual([{ field: 'proc.name', alerts: 1 }]);
    const shell = r.rules.find((x: { rule: string }) => x.rule === 'Terminal shell in container');
    expect([shell.change, shell.fires]).toEqual(['unchanged', 1]);

    const text = captureIO(root);
    expect(await runCli(['replay', '--alerts', 'alerts.jsonl', '--env', 'production'], text)).toBe(0);
    expect(text.out()).toContain('Assumed base (the ruleset that raised them): environment production at HEAD (');
    expect(text.out()).toContain('Write below etc [changed]: 4 alerts, 2 suppressed, 1 still fire, 1 undecided');

    const md = captureIO(root);
    expect(await runCli(['replay', '--alerts', 'alerts.jsonl', '--env', 'production', '--format', 'markdown'], md)).toBe(0);
    expect(md.out()).toContain('| Write below etc | changed | 4 | 2 | 1 | 1 | proc.name (1) |');
  });

  it('replays bare rules files and reports unreadable input as exit 2', async () => {
    const root = tempRepo({
      'base.yaml': '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = nc\n  output: "%proc.name %proc.pname"\n  priority: WARNING\n',
      'tuned.yaml': '- rule: R\n  condition: and not proc.pname = healthcheck\n  override:\n    condition: append\n',
      'a.jsonl': [alertLine('R', { 'proc.name': 'nc', 'proc.pname': 'healthcheck' }), alertLine('R', { 'proc.name': 'nc', 'proc.pname': 'bash' })].join('\n'),
    });
    const io = captureIO(root);
    expect(await runCli(['replay', '--alerts', 'a.jsonl', '--rules', 'base.yaml', 'tuned.yaml', '--base-rules', 'base.yaml', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out()).totals).toEqual({ fires: 1, suppressed: 1, undecided: 0 });
    const missing = captureIO(root);
    expect(await runCli(['replay', '--alerts', 'nope.jsonl', '--rules', 'base.yaml'], missing)).toBe(2);
    expect(missing.err()).toContain('nope.jsonl: cannot read: ENOENT');
  });

  it('summarises alerts and suggests a user_known macro override for the top group', async () => {
    const root = tempRepo(exampleRepoFiles(REPO_ROOT));
    const lines: string[] = [];
    for (let i = 0; i < 40; i++)
      lines.push(
        alertLine(
          'Read sensitive file untrusted',
          { 'fd.name': '/etc/pam.conf', 'proc.name': 'google_guest_ag', 'proc.pname': 'systemd' },
          `12:00:0${i % 10}.1: Warning Sensitive file opened for reading (file=/etc/pam.conf process=google_guest_ag pid=${1000 + i})`,
        ),
      );
    lines.push(
      alertLine(
        'Read sensitive file untrusted',
        { 'fd.name': '/etc/shadow', 'proc.name': 'cat', 'proc.pname': 'bash' },
        'Sensitive file opened for reading (file=/etc/shadow process=cat pid=7)',
      ),
    );
    writeFileSync(join(root, 'alerts.jsonl'), lines.join('\n'));
    const io = captureIO(root);
    expect(await runCli(['alerts', 'summarize', 'alerts.jsonl', '--env', 'production', '--top', '1', '--format', 'json'], io)).toBe(0);
    const s = JSON.parse(io.out());
    expect(s.rules[0].outputs).toEqual([
      {
        rule: 'Read sensitive file untrusted',
        output: 'Warning Sensitive file opened for reading (file=/etc/pam.conf process=google_guest_ag pid=<n>)',
        alerts: 40,
        example: expect.stringContaining('pid=1000'),
      },
    ]);
    expect(s.suggestions).toHaveLength(1);
    expect(s.suggestions[0].snippet).toBe(
      '- macro: user_known_read_sensitive_files_activities\n  condition: or (proc.name = google_guest_ag and fd.name = /etc/pam.conf)\n  override:\n    condition: append\n',
    );
  });
});

describe('help', () => {
  it.each([
    [['test', '--help'], 'falco-gitops test --env production --format json'],
    [['replay', '--help'], 'falco-gitops replay --alerts events.jsonl --env production --base origin/main'],
    [['alerts', 'summarize', '--help'], 'falco-gitops alerts summarize events.jsonl --env production'],
  ])('%j describes the command with examples', async (argv, example) => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(argv, io)).toBe(0);
    expect(io.out()).toContain('Examples:');
    expect(io.out()).toContain(example);
    expect(io.out()).toContain('--format <format>');
  });
});
