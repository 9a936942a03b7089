import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { run, type CliRun } from '../helpers/cli.js';
import { missingUpstream, UPSTREAM_RULES } from '../helpers/shared.js';

const OVERLAY_PATH = 'environments/production/overlay.yaml';
// Upstream 4.0.0's list with our backup agent added, in upstream's own multi-line flow style.
const OVERLAY = `# Production tuning over falco_rules.

# Our copy: the backup agent reads /etc/shadow.
- list: read_sensitive_file_binaries
  items: [
    iptables, ps, lsb_release, check-new-relea, dumpe2fs, accounts-daemon, sshd,
    vsftpd, systemd, mysql_install_d, psql, screen, debconf-show, sa-update,
    pam-auth-update, pam-config, /usr/sbin/spamd, polkit-agent-he, lsattr, file, sosreport,
    scxcimservera, adclient, rtvscand, cockpit-session, userhelper, ossec-syscheckd,
    sshd-session, backup-agent
    ]

- list: backup_binaries   # ours alone
  items: [backup-agent]

- list: trusted_images
  items:
    - "docker.io/library/nginx"   # web
    - 'quay.io/org/agent'

# Pause containers start no shells worth a look.
- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir=<) and not proc.name = pause

- macro: never_true
  condition: >
    (evt.num < 0)
`;

/** The line numbers (old side, new side) a `git diff -U0` of one file touches. */
function touchedLines(dir: string, path: string): { removed: number[]; added: number[] } {
  const diff = execFileSync('git', ['diff', '-U0', '--', path], { cwd: dir, encoding: 'utf8' });
  const removed: number[] = [];
  const added: number[] = [];
  for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    const span = (start: string, count: string | undefined) => Array.from({ length: count === undefined ? 1 : Number(count) }, (_, k) => Number(start) + k);
    removed.push(...span(m[1], m[2]));
    added.push(...span(m[3], m[4]));
  }
  return { removed, added };
}

describe.skipIf(missingUpstream('falco_rules/rules-4.0.0.yaml', 'falco_rules/rules-5.1.0.yaml'))(
  'upstream update --rebase from falco_rules 4.0.0 to 5.1.0 on a git repository',
  () => {
    let repo: TempRepo;
    let update: CliRun;
    let textUpdate: CliRun;
    const updateArgs = ['upstream', 'update', '--to', '5.1.0', '--from', join(UPSTREAM_RULES, 'falco_rules/rules-5.1.0.yaml'), '--rebase'];
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
    beforeAll(async () => {
      repo = createTempRepo();
      repo.commit(
        {
          'environments/production/environment.yaml': `version: 1.0.0\nlayers:\n  - rules/upstream/falco_rules.yaml\n  - ${OVERLAY_PATH}\n`,
          [OVERLAY_PATH]: OVERLAY,
        },
        'production overlay',
      );
      const pull = await run(['upstream', 'pull', 'falco_rules', '--version', '4.0.0', '--from', join(UPSTREAM_RULES, 'falco_rules/rules-4.0.0.yaml')], {
        cwd: repo.dir,
      });
      expect(pull.stderr).toBe('');
      expect(pull.code).toBe(0);
      git('add', '-A');
      git('commit', '-q', '-m', 'pin falco_rules 4.0.0');
      // the same update twice from the pinned commit: as text (what a person reads), then as json
      textUpdate = await run(updateArgs, { cwd: repo.dir });
      git('reset', '-q', '--hard', 'HEAD');
      update = await run([...updateArgs, '--format', 'json'], { cwd: repo.dir });
    });
    afterAll(() => repo.remove());

    it('merges the list and turns the macro into an append', () => {
      expect(update.stderr).toBe('');
      const result = JSON.parse(update.stdout) as { rewrites: { kind: string; name: string; added?: string[] }[]; conflicts: unknown[] };
      expect(result.rewrites.map((r) => [r.kind, r.name, r.added])).toEqual([
        ['list-merged', 'read_sensitive_file_binaries', ['rkhunter']],
        ['macro-to-append', 'spawned_process', undefined],
      ]);
      expect(result.conflicts).toEqual([]);
    });

    it("git diff touches only the changed items' lines: the list's last line, the macro's condition and its new override", () => {
      expect(touchedLines(repo.dir, OVERLAY_PATH)).toEqual({ removed: [10, 23], added: [10, 23, 24] });
      const text = readFileSync(join(repo.dir, OVERLAY_PATH), 'utf8').split('\n');
      expect(text[9]).toBe('    sshd-session, backup-agent, rkhunter');
      expect(text.slice(22, 24)).toEqual(['  condition: and not proc.name = pause', '  override: {condition: append}']);
    });

    it('the rebased repository validates over the new upstream', async () => {
      const validate = await run(['validate', '--format', 'json'], { cwd: repo.dir });
      expect(validate.code).toBe(0);
    });

    it('the report printed right after is computed on the rebased files: the merged list and the appended macro are no longer hidden', () => {
      const result = JSON.parse(update.stdout) as { findings: { id: string }[] };
      const ids = result.findings.map((f) => f.id);
      expect(ids).not.toContain('changed-underneath/list/read_sensitive_file_binaries');
      expect(ids).not.toContain('changed-underneath/macro/spawned_process');
      expect(textUpdate.stdout).toContain("list 'read_sensitive_file_binaries' merged (upstream added: rkhunter; removed: none)");
      expect(textUpdate.stdout).not.toContain("upstream changed list 'read_sensitive_file_binaries'");
      expect(textUpdate.stdout).not.toContain("upstream changed macro 'spawned_process'");
      expect(textUpdate.code).toBe(update.code);
    });

    it('ci on the update branch against the old pin does not call the merged list hidden; on a branch that only moved the pin it does', async () => {
      const shadowOn = async (branch: string) => {
        git('add', '-A');
        git('commit', '-q', '-m', branch);
        const ci = await run(['ci', '--base', 'main', '--format', 'json'], { cwd: repo.dir, env: {} });
        expect(ci.stderr).toBe('');
        const report = JSON.parse(ci.stdout) as { findings: { checkId: string; itemName?: string; message: string }[] };
        return report.findings.filter((f) => f.checkId.startsWith('shadow/')).map((f) => `${f.checkId} ${f.message}`);
      };
      git('checkout', '-q', '-b', 'upstream-5.1.0');
      const rebased = await shadowOn('upstream-5.1.0');
      expect(rebased.filter((m) => m.includes('read_sensitive_file_binaries') || m.includes('spawned_process'))).toEqual([]);

      git('checkout', '-q', 'main');
      git('checkout', '-q', '-b', 'pin-only');
      expect(
        (
          await run(
            updateArgs.filter((a) => a !== '--rebase'),
            { cwd: repo.dir },
          )
        ).code,
      ).toBe(1);
      expect(await shadowOn('pin-only')).toEqual(
        expect.arrayContaining([
          "shadow/changed-underneath upstream changed list 'read_sensitive_file_binaries' (items) but our copy replaces it, so the change is hidden",
        ]),
      );
    });
  },
);
