import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { SiteModel } from '../../src/site/index.js';
import { edit, exampleRepository } from '../automation/example-repo.js';
import { captureIO, ENV_YAML, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';
import { createTempRepo } from '../git/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'falco-gitops-site-'));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach(removeTempRepo));

/** The model exactly as the browser gets it: data.js evaluated as a script. */
function loadModel(dir: string): SiteModel {
  const window: { FALCO_GITOPS_SITE?: SiteModel } = {};
  runInNewContext(readFileSync(join(dir, 'data.js'), 'utf8'), { window });
  return window.FALCO_GITOPS_SITE!;
}

async function generate(cwd: string, args: string[] = []) {
  const out = tempDir();
  const io = captureIO(cwd);
  const code = await runCli(['site', '--out', out, '--build-dir', join(out, 'no-build'), ...args], io);
  return { code, out, io };
}

describe('falco-gitops site: the example repository', () => {
  it('writes the page, style, script and data, and says where to open it', async () => {
    const { code, out, io } = await generate(REPO_ROOT, ['--format', 'json']);
    expect(code, io.err()).toBe(0);
    const report = JSON.parse(io.out());
    expect(report.files).toEqual(['index.html', 'site.css', 'site.js', 'data.js']);
    for (const f of report.files) expect(existsSync(join(out, f)), f).toBe(true);
    expect(report.environments.map((e: { name: string }) => e.name)).toEqual(['production', 'staging']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    // Offline: nothing the page loads comes from elsewhere.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('<script src="data.js" defer></script>');
  });

  it('gives each rule its effective fields, provenance by layer, tests and differences', async () => {
    const { out } = await generate(REPO_ROOT);
    const model = loadModel(out);
    const production = model.environments.find((e) => e.name === 'production')!;
    const rule = production.rules.find((r) => r.name === 'Terminal shell in container')!;
    expect(rule.priority).toBe('Warning');
    expect(rule.layer).toBe('upstream');
    expect(rule.changedByUs).toBe(true);
    expect(rule.history.map((c) => [c.layer, c.action, c.field, `${c.file}:${c.line}`])).toEqual([
      ['upstream', 'define', '*', 'rules/upstream/demo_rules.yaml:80'],
      ['organisation', 'append', 'exceptions', 'rules/acme_rules.yaml:7'],
      ['organisation', 'append', 'tags', 'rules/acme_rules.yaml:50'],
      ['overlay', 'append', 'exceptions', 'environments/production/overlays/tuning.yaml:18'],
      ['overlay', 'replace', 'priority', 'environments/production/overlays/tuning.yaml:26'],
    ]);
    expect(rule.fragments.map((f) => f.text).join('')).toBe(rule.condition);
    expect(rule.macros).toEqual(['spawned_process', 'container']);
    expect(rule.lists).toEqual(['shell_binaries']);
    expect(rule.differs).toEqual([{ environment: 'staging', fields: ['priority', 'condition'] }]);
    const productionOnly = rule.tests.find((t) => t.file === 'environments/production/tests/tuning.yaml')!;
    expect(productionOnly).toMatchObject({ expected: 'fires', passed: true });
    expect(production.tests.failed).toBe(0);

    const macro = production.macros.find((m) => m.name === 'user_known_write_below_etc_activities')!;
    expect(macro.history.at(-1)).toMatchObject({ layer: 'overlay', action: 'replace', file: 'environments/production/overlays/tuning.yaml', line: 4 });
    expect(macro.usedBy).toEqual(['Write below etc']);
    const list = production.lists.find((l) => l.name === 'shell_binaries')!;
    expect(list.usedBy).toContain('Terminal shell in container');
    expect(list.items.at(-1)).toBe('busybox');
  });

  it('marks what the organisation and overlays changed, and only that', async () => {
    const { out } = await generate(REPO_ROOT, ['--env', 'staging']);
    const staging = loadModel(out).environments;
    expect(staging.map((e) => e.name)).toEqual(['staging']);
    for (const r of staging[0]!.rules) expect(r.changedByUs, r.name).toBe(r.history.some((c) => c.layer !== 'upstream'));
    expect(staging[0]!.rules.find((r) => r.name === 'Terminal shell in container')!.differs).toEqual([]);
  });

  it('shows the artifact reference and digest of a build in the build directory', async () => {
    const files = {
      'environments/dev/environment.yaml': ENV_YAML(['rules/*.yaml']),
      'rules/own.yaml':
        '- rule: Own rule\n  desc: d\n  condition: evt.type = open and proc.name = x\n  output: o\n  priority: NOTICE\n  tags: [mitre_execution, T1059]\n',
    };
    const root = writeTempRepo({ ...files, 'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n' });
    temps.push(root);
    const build = captureIO(root);
    expect(await runCli(['build', '--out', 'out'], build), build.err()).toBe(0);
    const io = captureIO(root);
    expect(await runCli(['site', '--format', 'json'], io), io.err()).toBe(0);
    const [env] = loadModel(join(root, 'out/site')).environments;
    expect(env!.artifact!.reference).toBe('ghcr.io/acme/falco-rules-dev:1.0.0');
    const index = JSON.parse(readFileSync(join(root, 'out/oci/index.json'), 'utf8'));
    expect(env!.artifact!.digest).toBe(index.manifests[0].digest);
  });
});

describe('falco-gitops site: findings', () => {
  it('links lint findings to the items they concern, per environment', async () => {
    const root = writeTempRepo({
      'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
      'environments/dev/environment.yaml': ENV_YAML(['rules/*.yaml']),
      'rules/own.yaml': '- list: never_used\n  items: [a]\n- rule: No event type\n  desc: d\n  condition: proc.name = x\n  output: o\n  priority: NOTICE\n',
    });
    temps.push(root);
    const { code, out, io } = await generate(root);
    expect(code, io.err()).toBe(0);
    const [env] = loadModel(out).environments;
    const byCheck = new Map(env!.findings.map((f) => [f.check, f]));
    expect(byCheck.get('no-evttype')).toMatchObject({ origin: 'lint', itemType: 'rule', itemName: 'No event type', file: 'rules/own.yaml', line: 5 });
    expect(byCheck.get('unused-list')).toMatchObject({ origin: 'lint', itemType: 'list', itemName: 'never_used', file: 'rules/own.yaml', line: 1 });
    expect(env!.lint.warnings + env!.lint.errors + env!.lint.notes).toBe(env!.findings.filter((f) => f.origin === 'lint').length);
  });
});

describe('falco-gitops site --base', () => {
  it('links the defaults an upstream move shadowed to our items, per environment', async () => {
    const repo = createTempRepo();
    try {
      const files = exampleRepository();
      const upstream = 'rules/upstream/demo_rules.yaml';
      const base = repo.commit(files, 'base');
      repo.commit(
        {
          [upstream]: edit(
            files[upstream]!,
            '- macro: allowed_ssh_hosts\n  condition: (never_true)',
            '- macro: allowed_ssh_hosts\n  condition: (fd.sip = "127.0.0.1")',
          ),
        },
        'upstream moves',
      );
      const withBase = await generate(repo.dir, ['--base', base]);
      expect(withBase.code, withBase.io.err()).toBe(0);
      const shadow = loadModel(withBase.out).environments.map((e) => [
        e.name,
        e.findings.filter((f) => f.origin === 'shadow').map((f) => [f.check, f.itemType, f.itemName, f.file]),
      ]);
      expect(shadow).toEqual([
        ['production', [['changed-underneath', 'macro', 'allowed_ssh_hosts', 'environments/production/overlays/tuning.yaml']]],
        ['staging', [['changed-underneath', 'macro', 'allowed_ssh_hosts', 'environments/staging/overlays/tuning.yaml']]],
      ]);
      const without = await generate(repo.dir);
      expect(loadModel(without.out).environments.flatMap((e) => e.findings.filter((f) => f.origin === 'shadow'))).toEqual([]);
      const bad = await generate(repo.dir, ['--base', 'no-such-ref']);
      expect(bad.code).toBe(2);
      expect(bad.io.err()).toContain("--base: cannot resolve revision 'no-such-ref'");
    } finally {
      repo.remove();
    }
  });
});

describe('falco-gitops site: hostile input and errors', () => {
  const HOSTILE = '</script><img src=x onerror="alert(1)"> \u2028';
  it('carries rule text as data only: no character of it can end the script', async () => {
    const root = writeTempRepo({
      'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
      'environments/dev/environment.yaml': ENV_YAML(['rules/*.yaml']),
      'rules/own.yaml': `- rule: '${HOSTILE}'\n  desc: '<b>bold</b>'\n  condition: evt.type = open and proc.name = "</script>"\n  output: o\n  priority: NOTICE\n`,
    });
    temps.push(root);
    const { code, out, io } = await generate(root);
    expect(code, io.err()).toBe(0);
    const data = readFileSync(join(out, 'data.js'), 'utf8');
    expect(data).not.toContain('<');
    expect(data).not.toContain('\u2028');
    expect(loadModel(out).environments[0]!.rules[0]!.name).toBe(HOSTILE);
  });

  it('exit 2 for an unknown environment or an unwritable output, exit 1 and nothing written when Falco would refuse a rule', async () => {
    const unknown = await generate(REPO_ROOT, ['--env', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.io.err()).toMatch(/unknown environment 'nope'/);
    expect(existsSync(join(unknown.out, 'index.html'))).toBe(false);

    const blocked = captureIO(REPO_ROOT);
    expect(await runCli(['site', '--out', 'README.md'], blocked)).toBe(2);
    expect(blocked.err()).toMatch(/^error: cannot write the site to 'README.md': (EEXIST|ENOTDIR)\n$/);

    const root = writeTempRepo({
      'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
      'environments/dev/environment.yaml': ENV_YAML(['rules/*.yaml']),
      'rules/own.yaml': '- rule: Broken\n  desc: d\n  condition: evt.type = open and (\n  output: o\n  priority: NOTICE\n',
    });
    temps.push(root);
    const refused = await generate(root);
    expect(refused.code).toBe(1);
    expect(refused.io.err()).toMatch(/rules\/own\.yaml:\d+:\d+/);
    expect(existsSync(join(refused.out, 'index.html'))).toBe(false);
  });
});
