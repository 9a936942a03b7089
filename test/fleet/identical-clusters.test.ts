import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { ALLOWED_HOSTS_RULES, allowedHost } from './fleet-rules.js';

const registry = inject('registry');

const RULES = ALLOWED_HOSTS_RULES;
const hosts = allowedHost;

/**
 * A template "prod" of five clusters: eu-1, eu-2 and eu-3 add nothing (identical), us-1 and us-2
 * each add the same host from their own file (identical to each other), and a plain environment.
 */
function fleet(): Record<string, string> {
  return {
    'falco-gitops.yaml': `defaults:\n  registry: ${registry.available ? registry.open : 'ghcr.io'}/fleet-${process.pid}\n`,
    'rules/base.yaml': RULES,
    'environments/prod/environment.yaml': 'version: 1.0.0\nlayers:\n  - rules/base.yaml\n',
    'environments/prod/clusters/eu-1.yaml': 'description: Frankfurt\n',
    'environments/prod/clusters/eu-2.yaml': 'description: Paris\n',
    'environments/prod/clusters/eu-3.yaml': 'description: Dublin\n',
    'environments/prod/clusters/us-1.yaml': 'layers: [environments/prod/clusters/us-1/*.yaml]\n',
    'environments/prod/clusters/us-1/hosts.yaml': hosts('mirror.us.example'),
    'environments/prod/clusters/us-2.yaml': 'layers: [environments/prod/clusters/us-2/*.yaml]\n',
    'environments/prod/clusters/us-2/hosts.yaml': hosts('mirror.us.example'),
    'environments/lab/environment.yaml': 'version: 0.1.0\nlayers:\n  - rules/base.yaml\n  - environments/lab/hosts.yaml\n',
    'environments/lab/hosts.yaml': hosts('lab.example'),
  };
}

describe('clusters that end up identical are shown once', () => {
  let repo: TempRepo;
  let out: string;
  beforeAll(() => {
    repo = createTempRepo();
    out = mkdtempSync(join(tmpdir(), 'fg-groups-'));
    repo.commit(fleet(), 'five clusters and a lab');
    repo.tag('before');
    repo.commit({ 'rules/base.yaml': RULES.replace('[pkg.example.org]', '[pkg.example.org, cdn.example.org]') }, 'one more host everywhere');
  });
  afterAll(() => {
    repo.remove();
    rmSync(out, { recursive: true, force: true });
  });

  it('diff: one row and one section per group of identical clusters, every environment still in the JSON', async () => {
    const md = await run(['diff', '--base', 'before', '--head', 'HEAD', '--format', 'markdown'], { cwd: repo.dir });
    expect(md.code).toBe(0);
    const rows = md.stdout.split('\n').filter((l) => /^\| (?!environment|---)/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| lab', '| prod-eu-1, prod-eu-2, prod-eu-3 (identical)', '| prod-us-1, prod-us-2 (identical)']);
    const summaries = [...md.stdout.matchAll(/<summary>(.*?):/g)].map((m) => m[1]);
    expect(summaries).toEqual(['lab', 'prod-eu-1, prod-eu-2, prod-eu-3 (identical)', 'prod-us-1, prod-us-2 (identical)']);
    expect(md.stdout.match(/list `allowed_hosts` \+cdn\.example\.org/g)).toHaveLength(3);

    const text = await run(['diff', '--base', 'before', '--head', 'HEAD'], { cwd: repo.dir });
    expect(text.stdout).toContain('prod-eu-1, prod-eu-2, prod-eu-3 (identical)');
    expect(text.stdout).not.toMatch(/^\s*prod-eu-2\b/m);

    const json = await run(['diff', '--base', 'before', '--head', 'HEAD', '--format', 'json'], { cwd: repo.dir });
    const { data } = JSON.parse(json.stdout) as { data: { environments: { environment: string; rulesDigest: { head: string } }[]; identical: string[][] } };
    expect(data.environments.map((e) => e.environment)).toEqual(['lab', 'prod-eu-1', 'prod-eu-2', 'prod-eu-3', 'prod-us-1', 'prod-us-2']);
    expect(data.identical).toEqual([
      ['prod-eu-1', 'prod-eu-2', 'prod-eu-3'],
      ['prod-us-1', 'prod-us-2'],
    ]);
    const digest = (name: string) => data.environments.find((e) => e.environment === name)!.rulesDigest.head;
    expect(digest('prod-eu-1')).toBe(digest('prod-eu-3'));
    expect(digest('prod-eu-1')).not.toBe(digest('prod-us-1'));
  });

  it.skipIf(!registry.available)('release: one notes file per group, naming every cluster and each artifact', async () => {
    const notes = join(out, 'notes');
    const r = await run(['release', '--notes-dir', notes, '--format', 'json'], { cwd: repo.dir, env: { HOME: out } });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { releases: { environment: string; notesFile: string; reference: string }[] };
    expect(readdirSync(notes).sort()).toEqual(['lab.md', 'prod-eu-1.md', 'prod-us-1.md']);
    const file = (env: string) => result.releases.find((x) => x.environment === env)!.notesFile;
    expect(file('prod-eu-3')).toBe(join(notes, 'prod-eu-1.md'));
    expect(file('prod-us-2')).toBe(join(notes, 'prod-us-1.md'));
    const eu = readFileSync(join(notes, 'prod-eu-1.md'), 'utf8');
    expect(eu).toContain('### prod-eu-1, prod-eu-2, prod-eu-3 (identical) 1.0.0: first release');
    expect(eu).not.toContain('→');
    for (const env of ['prod-eu-1', 'prod-eu-2', 'prod-eu-3'])
      expect(eu).toContain(`- ${env}: \`${result.releases.find((x) => x.environment === env)!.reference}\``);
    expect(eu).not.toContain('prod-us-1');
    expect(readFileSync(join(notes, 'lab.md'), 'utf8')).toContain('### `lab` 0.1.0: first release');
  });
});
