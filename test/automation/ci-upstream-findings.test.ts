/**
 * A repository started with `init` pins the newest upstream rules; a one-line pull request is
 * checked by `ci`. Upstream's own warnings and findings are counted once, in their own table, and
 * never fail a gate; a finding in our overlay still does.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { run } from '../helpers/cli.js';
import { missingUpstream, UPSTREAM_RULES } from '../helpers/shared.js';

const RULES = 'falco_rules/rules-5.1.0.yaml';
const missing = missingUpstream(RULES);

describe.skipIf(missing !== undefined)(`ci on a repository pinning real upstream rules${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let repo: TempRepo;
  const cli = (argv: string[]) => run(argv, { cwd: repo.dir, env: { HOME: repo.dir } });
  beforeAll(async () => {
    repo = createTempRepo();
    expect((await cli(['init', '.'])).code).toBe(0);
    expect((await cli(['upstream', 'pull', 'falco_rules', '--version', '5.1.0', '--from', join(UPSTREAM_RULES, RULES)])).code).toBe(0);
    repo.commit({}, 'init and pin falco_rules 5.1.0');
  });
  afterAll(() => repo.remove());

  it("init's policy passes on the newest upstream rules; upstream's findings are counted, not listed", async () => {
    repo.commit(
      { 'environments/production/overlays/tuning.yaml': '- rule: Terminal shell in container\n  priority: CRITICAL\n  override:\n    priority: replace\n' },
      'page on shells',
    );
    const r = await cli(['ci', '--base', 'HEAD~1', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      findings: { location: { file: string } }[];
      diagnostics: { location: { file: string } }[];
      tables: { title: string; rows: unknown[][] }[];
    };
    expect(report.findings.filter((f) => f.location.file.startsWith('rules/upstream/'))).toEqual([]);
    expect(report.diagnostics.filter((d) => d.location.file.startsWith('rules/upstream/'))).toEqual([]);
    const upstream = report.tables.find((t) => t.title.startsWith("Upstream's own findings"));
    expect(upstream?.rows.length).toBeGreaterThan(0);
  });

  it('a finding in our own overlay is still listed and still fails the gate', async () => {
    // production's policy fails on required-tags: a new rule of ours without a team_* tag
    repo.commit(
      {
        'environments/production/overlays/new-rule.yaml':
          '- rule: Our untagged rule\n  desc: d\n  condition: evt.type = execve and proc.name = nc\n  output: "nc %proc.cmdline"\n  priority: WARNING\n  tags: [mitre_execution]\n',
      },
      'add a rule',
    );
    const r = await cli(['ci', '--base', 'HEAD~1', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; location: { file: string } }[] };
    expect(report.findings.map((f) => [f.checkId, f.location.file])).toContainEqual(['required-tags', 'environments/production/overlays/new-rule.yaml']);
  });
});
