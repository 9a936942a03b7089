import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO, ENV_YAML, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { missingUpstream, readUpstream } from '../helpers/shared.js';

// The classic tuning cases, on the real upstream rules: staging runs them as released,
// production tunes them. Each case has a positive and a negative test.
const UPSTREAM = {
  'rules/upstream/falco_rules.yaml': 'falco_rules/rules-5.1.0.yaml',
  'rules/upstream/falco-incubating_rules.yaml': 'falco-incubating_rules/rules-6.0.1.yaml',
  'rules/upstream/falco-sandbox_rules.yaml': 'falco-sandbox_rules/rules-6.1.0.yaml',
};

const PRODUCTION_TUNING = `
# The cloud guest agent manages PAM configuration on these nodes.
- macro: user_known_read_sensitive_files_activities
  condition: (proc.name = google_guest_ag and fd.name startswith /etc/pam.d/)
  override:
    condition: replace

# consul-template renders the nginx configuration, and nothing else below /etc.
- macro: user_known_write_below_etc_activities
  condition: (proc.name = consul-template and fd.name = /etc/nginx/nginx.conf)
  override:
    condition: replace

# The node agent's image runs privileged by design.
- macro: user_privileged_containers
  condition: (container.image.repository = registry.acme.internal/platform/node-agent)
  override:
    condition: replace

# Our PHP front ends must never spawn shells: watch them like web servers.
- list: protected_shell_spawning_binaries
  items: [php]
  override:
    items: append
`;

const TESTS = `
tests:
  - name: a cloud agent reads a PAM file (excepted in production only)
    event: &pam
      evt.type: openat
      evt.num: 7
      evt.is_open_read: true
      fd.typechar: f
      fd.num: 5
      fd.name: /etc/pam.d/sshd
      fd.directory: /etc/pam.d
      proc.name: google_guest_ag
      proc.args: ""
      proc.cmdline: google_guest_agent
      proc.pname: systemd
      proc.pcmdline: /sbin/init
      proc.aname[1]: systemd
      proc.aname[2]: null
      proc.aname[3]: null
      proc.aname[4]: null
      container.id: host
      container.image.repository: null
    fires: [Read sensitive file untrusted]
    environments:
      production: { does_not_fire: [Read sensitive file untrusted] }

  - name: the same agent reading /etc/shadow still fires everywhere
    event: { <<: *pam, fd.name: /etc/shadow, fd.directory: /etc }
    fires: [Read sensitive file untrusted]

  - name: cat /etc/shadow fires everywhere
    event:
      <<: *pam
      proc.name: cat
      proc.cmdline: cat /etc/shadow
      proc.pname: bash
      proc.aname[1]: bash
      fd.name: /etc/shadow
      fd.directory: /etc
    fires: [Read sensitive file untrusted]

  - name: consul-template writes the nginx configuration (allowed in production)
    event: &etc
      evt.type: openat
      evt.num: 9
      evt.is_open_write: true
      fd.typechar: f
      fd.num: 6
      fd.name: /etc/nginx/nginx.conf
      fd.directory: /etc/nginx
      proc.name: consul-template
      proc.exe: /usr/local/bin/consul-template
      proc.cmdline: consul-template -config /etc/ct.hcl
      proc.pname: systemd
      proc.pcmdline: /sbin/init
      proc.aname: [systemd]
      proc.aname[2]: null
      proc.aname[3]: null
      proc.aname[4]: null
      container.id: host
      container.image.repository: null
    fires: [Write below etc]
    environments:
      production: { does_not_fire: [Write below etc] }

  - name: consul-template writing another file below /etc is still caught
    event: { <<: *etc, fd.name: /etc/passwd, fd.directory: /etc }
    fires: [Write below etc]

  - name: a trusted image runs privileged (allowed in production)
    event: &privileged
      evt.type: execve
      evt.num: 11
      proc.vpid: 1
      proc.name: node-agent
      container.id: 3ad7b26ded6d
      container.privileged: true
      container.image.repository: registry.acme.internal/platform/node-agent
    fires: [Launch Privileged Container]
    environments:
      production: { does_not_fire: [Launch Privileged Container] }

  - name: any other privileged image still fires
    event: { <<: *privileged, container.image.repository: docker.io/library/alpine }
    fires: [Launch Privileged Container]

  - name: php spawns a shell (caught once php is a protected spawner)
    event: &php
      evt.type: execve
      evt.num: 13
      proc.name: sh
      proc.cmdline: sh -c id
      proc.pname: php
      proc.pexe: /usr/bin/php
      proc.pcmdline: php index.php
      proc.aname: [php, systemd]
      proc.aname[2]: systemd
      proc.aname[3]: null
      proc.aname[5]: null
      user.name: www-data
    does_not_fire: [Run shell untrusted]
    environments:
      production: { fires: [Run shell untrusted] }

  - name: a shell from an interactive bash is not a protected spawn
    event:
      <<: *php
      proc.pname: bash
      proc.pexe: /bin/bash
      proc.pcmdline: bash
      proc.aname: [bash, sshd, systemd]
      proc.aname[2]: sshd
      proc.aname[3]: systemd
    does_not_fire: [Run shell untrusted]
`;

describe.skipIf(missingUpstream(...Object.values(UPSTREAM)))('classic tuning cases on the upstream rules', () => {
  it('pass in both environments, each with a positive and a negative case', async () => {
    const files: Record<string, string> = {
      'environments/staging/environment.yaml': ENV_YAML(Object.keys(UPSTREAM)),
      'environments/production/environment.yaml': ENV_YAML([...Object.keys(UPSTREAM), 'environments/production/overlays/*.yaml']),
      'environments/production/overlays/tuning.yaml': PRODUCTION_TUNING,
      'rules/tests/tuning.yaml': TESTS,
    };
    for (const [path, file] of Object.entries(UPSTREAM)) files[path] = readUpstream(file).text;
    const root = writeTempRepo(files);
    try {
      const io = captureIO(root);
      const code = await runCli(['test', '--format', 'json'], io);
      expect(io.err()).toBe('');
      const r = JSON.parse(io.out()) as {
        passed: number;
        failed: number;
        results: { name: string; environment: string; passed: boolean; failures: unknown[] }[];
      };
      expect(r.results.filter((x) => !x.passed)).toEqual([]);
      expect([r.passed, r.failed, code]).toEqual([18, 0, 0]);
    } finally {
      removeTempRepo(root);
    }
  }, 60_000);
});
