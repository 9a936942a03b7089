import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { captureIO } from '../environment/temp-repo.js';

const RULE = 'Terminal shell in container';

describe('falco-gitops explain', () => {
  it('gives the provenance of a rule touched by upstream, the organisation and the environment', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['explain', RULE, '--env', 'production', '--format', 'json'], io)).toBe(0);
    const e = JSON.parse(io.out());
    expect(
      e.history.map((c: { field: string; action: string; loc: { file: string; line: number } }) => [c.action, c.field, `${c.loc.file}:${c.loc.line}`]),
    ).toEqual([
      ['define', '*', 'rules/upstream/demo_rules.yaml:80'],
      ['append', 'exceptions', 'rules/acme_rules.yaml:7'],
      ['append', 'tags', 'rules/acme_rules.yaml:50'],
      ['append', 'exceptions', 'environments/production/overlays/tuning.yaml:18'],
      ['replace', 'priority', 'environments/production/overlays/tuning.yaml:26'],
    ]);
    expect(e.priority).toBe('Warning');
    expect(e.eventTypes).toEqual(['asyncevent', 'execve', 'execveat']);
    expect(e.macros.map((m: { name: string; lastChange: { loc: { file: string } } }) => [m.name, m.lastChange.loc.file])).toEqual([
      ['spawned_process', 'rules/upstream/demo_rules.yaml'],
      ['container', 'rules/upstream/demo_rules.yaml'],
    ]);
    expect(
      e.lists.map((l: { name: string; items: string[]; lastChange: { action: string; loc: { file: string } } }) => [
        l.name,
        l.items.at(-1),
        l.lastChange.action,
        l.lastChange.loc.file,
      ]),
    ).toEqual([['shell_binaries', 'busybox', 'append', 'environments/production/overlays/tuning.yaml']]);
    expect(e.compiledCondition).toContain('registry.acme.internal/platform/toolbox');
    expect(e.compiledCondition).toContain('registry.acme.internal/observability/log-shipper');
    expect(e.compiledCondition).toContain('busybox');
    expect(e.environments).toEqual([{ environment: 'staging', differs: ['priority', 'condition'] }]);
  });

  it('prints the same facts for humans', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['explain', RULE, '--env', 'staging'], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('enabled: true  priority: Notice  source: syscall\nevent types: asyncevent, execve, execveat\n');
    expect(out).toContain('history (load order):\n  rules/upstream/demo_rules.yaml:80:3  define rule\n  rules/acme_rules.yaml:7:5  append exceptions\n');
    expect(out).toMatch(
      /shell_binaries \[ash, bash, csh, ksh, sh, tcsh, zsh, dash, fish\] {2}last append at environments\/staging\/overlays\/tuning\.yaml:\d+:\d+/,
    );
    expect(out).toContain('other environments:\n  production: differs in priority, condition\n');
  });

  it('a rule only one environment has is reported absent in the others', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['explain', 'Debugger launched in production container', '--env', 'production'], io)).toBe(0);
    expect(io.out()).toContain('  staging: rule not loaded\n');
  });

  it('an unknown rule or environment is an input error with a hint, exit 2', async () => {
    const io = captureIO(REPO_ROOT);
    expect(await runCli(['explain', 'Terminal shell in containers', '--env', 'production'], io)).toBe(2);
    expect(io.err()).toBe(`error: no rule 'Terminal shell in containers' is loaded in environment 'production' (did you mean '${RULE}'?)\n`);
    const io2 = captureIO(REPO_ROOT);
    expect(await runCli(['explain', RULE, '--env', 'qa'], io2)).toBe(2);
    expect(io2.err()).toBe("error: unknown environment 'qa' (known: production, staging)\n");
  });
});
