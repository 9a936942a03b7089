/**
 * The small things a reviewer sees, on a repository started with `init` that pins real upstream
 * rules: an evt.dir finding says how to fix evt.dir (not `append: true`); names with Markdown
 * specials (`team_*`) survive the PR comment; a second `publish` of the same bytes says
 * "unchanged"; a registry whose host does not resolve fails at once, not after five tries.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TempRepo } from '../git/temp-repo.js';
import { missingUpstream } from '../helpers/shared.js';
import { initRepository, type InitRepository } from './init-repo.js';

const registry = inject('registry');
// 4.0.0 still tests evt.dir in its macros (5.x no longer does)
const RULES = 'falco_rules/rules-4.0.0.yaml';
const missing = missingUpstream(RULES);
const NAMESPACE = `review-details-${process.pid}-${Date.now().toString(36)}`;

describe.skipIf(missing !== undefined)(`review details on a repository pinning real upstream rules${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let setup: InitRepository;
  let repo: TempRepo;
  const cli = (...argv: string[]) => setup.cli(...argv);
  beforeAll(async () => {
    setup = await initRepository([['falco_rules', '4.0.0', RULES]], NAMESPACE);
    repo = setup.repo;
  });
  afterAll(() => setup.remove());

  it('an evt.dir finding carries its own fix, not the append: true one', async () => {
    const r = await cli('lint', '--format', 'json');
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; messageId: string; message: string; hint?: string }[] };
    const deprecated = report.findings.filter((f) => f.checkId === 'deprecated-syntax');
    const evtDir = deprecated.filter((f) => f.message.endsWith('uses the deprecated field evt.dir'));
    expect(evtDir.length).toBeGreaterThan(0);
    for (const f of evtDir) {
      expect(f.hint).toBe('drop the evt.dir check: Falco warns about the field and will remove it');
      expect(f.hint).not.toMatch(/append/);
    }
  });

  it('Markdown specials in names and patterns are escaped in the PR comment; code spans are kept', async () => {
    repo.commit(
      {
        'environments/production/overlays/new-rule.yaml':
          '- rule: Our *new* rule_x_\n  desc: d\n  condition: evt.type = execve and proc.name = nc\n  output: "nc %proc.cmdline"\n  priority: WARNING\n  tags: [mitre_execution]\n',
      },
      'a rule without a team tag',
    );
    const r = await cli('ci', '--base', 'HEAD~1', '--format', 'markdown');
    expect(r.code).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes('required-tags') && l.includes('new-rule.yaml'));
    expect(line).toBeDefined();
    // the rule's name and the tag pattern read literally, not as italics
    expect(line).toContain('Our \\*new\\* rule\\_x\\_');
    expect(line).toContain('team\\_\\*');
    // no unescaped emphasis marker is left outside code spans
    const outsideCode = line!
      .replace(/`[^`]*`/g, '')
      .replace(/\\[*_]/g, '')
      .replace(/<br>\*|\*\s*\|\s*$/g, '');
    expect(outsideCode).not.toMatch(/[*_]/);
    // the location stays a code span
    expect(line).toMatch(/`environments\/production\/overlays\/new-rule\.yaml:\d+:\d+`/);
    execFileSync('git', ['reset', '-q', '--hard', 'HEAD~1'], { cwd: repo.dir });
  });

  it.skipIf(!registry.available)('a second publish of the same bytes says unchanged, in text and JSON', async () => {
    expect((await cli('build', '--env', 'production')).code).toBe(0);
    const first = await cli('publish', '--registry', registry.open, '--format', 'json');
    expect(first.code).toBe(0);
    const [published] = (JSON.parse(first.stdout) as { artifacts: { status: string; digest: string }[] }).artifacts;
    expect(published.status).toBe('published');
    expect(first.stderr).toContain(`production: published ${registry.open}/${NAMESPACE}/falco-rules-production:0.1.0`);

    const again = await cli('publish', '--registry', registry.open, '--format', 'json');
    expect(again.code).toBe(0);
    const [second] = (JSON.parse(again.stdout) as { artifacts: { status: string; digest: string; tags: { action: string }[] }[] }).artifacts;
    expect(second).toMatchObject({ status: 'unchanged', digest: published.digest });
    expect(second.tags.every((t) => t.action === 'unchanged')).toBe(true);
    expect(again.stderr).toContain('production: unchanged');
    expect(again.stderr).not.toContain('production: published');

    const text = await cli('publish', '--registry', registry.open);
    expect(text.stdout.split('\n')[1]).toMatch(/ unchanged \(the registry already had it\)$/);
  });

  it('a dry run against a registry host that does not resolve fails at once, without retrying', async () => {
    expect((await cli('build', '--env', 'production')).code).toBe(0);
    const r = await cli('publish', '--dry-run', '--registry', 'registry.example.invalid', '--format', 'json');
    expect(r.code).toBe(1);
    const [artifact] = (JSON.parse(r.stdout) as { artifacts: { status: string; error: { message: string } }[] }).artifacts;
    expect(artifact.status).toBe('failed');
    expect(artifact.error.message).toMatch(/(ENOTFOUND|EAI_AGAIN) registry\.example\.invalid \(after 1 attempt\)$/);
  });
});
