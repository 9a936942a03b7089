import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { parseLockFile, sha256Hex } from '../../src/upstream/index.js';
import { REPO_ROOT, UPSTREAM_RULES, missingUpstream } from '../helpers/shared.js';

const BASE = `- list: shell_binaries
  items: [bash, sh, csh]
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=<
- macro: container
  condition: container.id != host
- rule: Shell in container
  desc: a shell in a container
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: shell (proc=%proc.name)
  priority: WARNING
`;
const THEIRS = `- list: shell_binaries
  items: [bash, sh, zsh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- macro: container
  condition: container.id != host and container.id != ""
- rule: Shell in container
  desc: a shell in a container
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: shell (proc=%proc.name)
  priority: WARNING
`;
const OVERLAY = `# staging tuning
- list: shell_binaries
  items: [bash, sh, csh, ksh]

- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=< and not proc.name = pause

- macro: container
  condition: k8s.ns.name != kube-system and container.id != host
`;

describe('upstream commands', () => {
  let dir: string;
  let out: string;
  let err: string;
  const io = (): CliIO => ({ cwd: dir, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: async () => '', isTTY: false });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const run = async (...argv: string[]) => {
    out = '';
    err = '';
    return runCli(argv, io());
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fg-upstream-'));
    write('vendor/v1/falco_rules.yaml', BASE);
    write('vendor/v2/falco_rules.yaml', THEIRS);
    write('environments/staging/environment.yaml', 'version: 1.0.0\nlayers:\n  - rules/upstream/falco_rules.yaml\n  - environments/staging/overlay.yaml\n');
    write('environments/staging/overlay.yaml', OVERLAY);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('pull vendors the file and writes the lock with its sha256', async () => {
    expect(await run('upstream', 'pull', 'falco_rules', '--version', '1.0.0', '--from', 'vendor/v1')).toBe(0);
    expect(readFileSync(join(dir, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(BASE);
    const lock = parseLockFile(readFileSync(join(dir, 'rules/upstream/upstream.lock.yaml'), 'utf8'), 'lock');
    expect(lock).toEqual({
      ok: true,
      lock: {
        version: 1,
        rulesets: [
          {
            name: 'falco_rules',
            version: '1.0.0',
            file: 'rules/upstream/falco_rules.yaml',
            sha256: sha256Hex(BASE),
            source: { kind: 'path', path: 'vendor/v1' },
          },
        ],
      },
    });
  });

  it('pull names the environments that load the pinned file, or says none does yet', async () => {
    expect(await run('upstream', 'pull', 'falco_rules', '--version', '1.0.0', '--from', 'vendor/v1')).toBe(0);
    expect(out.split('\n')[1]).toBe('loaded by: staging');
    expect(await run('upstream', 'pull', 'falco_incubating_rules', '--version', '1.0.0', '--from', 'vendor/v2/falco_rules.yaml', '--format', 'json')).toBe(0);
    expect((JSON.parse(out) as { loadedBy: string[] }).loadedBy).toEqual([]);
    expect(await run('upstream', 'pull', 'falco_incubating_rules', '--version', '1.0.0', '--from', 'vendor/v2/falco_rules.yaml')).toBe(0);
    expect(out).toContain("no environment loads it yet: add rules/upstream/falco_incubating_rules.yaml to an environment's layers");
  });

  it('pull refuses a file whose sha256 is not the expected one, and writes nothing', async () => {
    expect(await run('upstream', 'pull', 'falco_rules', '--version', '1.0.0', '--from', 'vendor/v1', '--sha256', '0'.repeat(64))).toBe(2);
    expect(err).toContain(`sha256 is ${sha256Hex(BASE)}, expected ${'0'.repeat(64)}`);
    expect(() => readFileSync(join(dir, 'rules/upstream/upstream.lock.yaml'))).toThrow();
  });

  it('check reports, per environment, what the new version shadows (json is the stable interface)', async () => {
    await run('upstream', 'pull', 'falco_rules', '--version', '1.0.0', '--from', 'vendor/v1');
    expect(await run('upstream', 'check', '--to', 'vendor/v2', '--format', 'json')).toBe(1);
    const json = JSON.parse(out) as { data: { schemaVersion: number; findings: { id: string; environment: string; severity: string }[] } };
    expect(json.data.schemaVersion).toBe(1);
    expect(json.data.findings.map((f) => [f.id, f.environment, f.severity])).toEqual([
      ['changed-underneath/list/shell_binaries', 'staging', 'warning'],
      ['changed-underneath/macro/container', 'staging', 'warning'],
      ['changed-underneath/macro/spawned_process', 'staging', 'warning'],
    ]);
  });

  it('update --rebase moves the pin, rewrites what is safe and leaves the conflict', async () => {
    await run('upstream', 'pull', 'falco_rules', '--version', '1.0.0', '--from', 'vendor/v1');
    expect(await run('upstream', 'update', '--to', '2.0.0', '--from', 'vendor/v2', '--rebase')).toBe(1);
    expect(out.split('\n')[0]).toBe('falco_rules pinned at 2.0.0');
    expect(out).toContain("rewrote environments/staging/overlay.yaml: list 'shell_binaries' merged (upstream added: zsh; removed: csh)");
    expect(out).toContain("rewrote environments/staging/overlay.yaml: macro 'spawned_process' is now an append of 'and not proc.name = pause'");
    expect(out).toContain("left for a human environments/staging/overlay.yaml:8: macro 'container'");
    expect(readFileSync(join(dir, 'environments/staging/overlay.yaml'), 'utf8')).toBe(`# staging tuning
- list: shell_binaries
  items: [bash, sh, ksh, zsh]

- macro: spawned_process
  condition: and not proc.name = pause
  override: {condition: append}

- macro: container
  condition: k8s.ns.name != kube-system and container.id != host
`);
    expect(readFileSync(join(dir, 'rules/upstream/falco_rules.yaml'), 'utf8')).toBe(THEIRS);
    const lock = parseLockFile(readFileSync(join(dir, 'rules/upstream/upstream.lock.yaml'), 'utf8'), 'lock');
    expect(lock.ok && lock.lock.rulesets.map((r) => [r.version, r.sha256])).toEqual([['2.0.0', sha256Hex(THEIRS)]]);
  });

  it.skipIf(missingUpstream('falco_rules/rules-3.2.0.yaml', 'falco_rules/rules-4.0.0.yaml'))(
    'check works on bare files with no repository configuration',
    async () => {
      const base = join(UPSTREAM_RULES, 'falco_rules/rules-3.2.0.yaml');
      const to = join(UPSTREAM_RULES, 'falco_rules/rules-4.0.0.yaml');
      write('ours.yaml', '- list: read_sensitive_file_binaries\n  items: [iptables, ps, sshd]\n');
      expect(await run('upstream', 'check', '--base', base, '--to', to, 'ours.yaml')).toBe(1);
      expect(out).toContain('ours.yaml:1:');
      expect(out).toContain("warning changed-underneath: upstream changed list 'read_sensitive_file_binaries' (items)");
      expect(out).toContain('upstream added: [sshd-session]');
      expect(out).toContain('upstream base → new: … scxcimservera, adclient, rtvscand, cockpit-session, userhelper,');
    },
  );

  it('check with --base but no files of ours is a usage error', async () => {
    expect(await run('upstream', 'check', '--base', 'a.yaml', '--to', 'b.yaml')).toBe(2);
    expect(err).toContain('--base needs our rules files as arguments');
  });
});

describe.skipIf(missingUpstream('falco_rules/falco-0.32.1.yaml', 'falco_rules/falco-0.33.0.yaml'))(
  'upstream check loads the new upstream with our files, as Falco would',
  () => {
    it('an append to a macro upstream removed is refused by Falco: the load error is in the report and the exit code', async () => {
      let out = '';
      const io: CliIO = { cwd: REPO_ROOT, env: {}, stdout: (t) => (out += t), stderr: () => {}, readStdin: async () => '', isTTY: false };
      const base = join(UPSTREAM_RULES, 'falco_rules/falco-0.32.1.yaml');
      const to = join(UPSTREAM_RULES, 'falco_rules/falco-0.33.0.yaml');
      expect(await runCli(['upstream', 'check', '--base', base, '--to', to, 'test/fixtures/shadow/s03-consider-ssh-reads.yaml', '--format', 'json'], io)).toBe(
        1,
      );
      const report = JSON.parse(out) as {
        diagnostics: { code: string; itemName: string; location: { file: string; line: number } }[];
        data: { findings: { id: string }[] };
      };
      expect(report.diagnostics.map((d) => [d.code, d.itemName, d.location.file, d.location.line])).toEqual([
        ['LOAD_ERR_VALIDATE', 'consider_ssh_reads', 'test/fixtures/shadow/s03-consider-ssh-reads.yaml', 1],
      ]);
      expect(report.data.findings.map((f) => f.id)).toEqual(['orphaned/macro/consider_ssh_reads']);
    });
  },
);
