import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOutputs } from '../../src/automation/index.js';
import { edit, exampleRepository } from '../automation/example-repo.js';
import { createTempRepo, type TempRepo } from '../git/temp-repo.js';
import { run, type CliRun } from '../helpers/cli.js';

const STAGING = 'environments/staging/overlays/tuning.yaml';
const PRODUCTION = 'environments/production/overlays/tuning.yaml';
/** A staging rule whose condition names a field Falco does not have. */
const BROKEN_RULE = `
- rule: Fish shell spawned in staging
  desc: Interactive fish sessions in staging containers.
  condition: spawned_process and container and proc.nmae = fish
  output: Fish shell in staging (command=%proc.cmdline container_id=%container.id)
  priority: NOTICE
  tags: [container, shell, mitre_execution]
`;

/** Runs `body` over a fresh temporary git repository, the example files and a directory for GitHub's files; all removed afterwards. */
async function withExampleRepo(body: (repo: TempRepo, files: Record<string, string>, gh: string) => Promise<void>): Promise<void> {
  const repo = createTempRepo();
  const gh = mkdtempSync(join(tmpdir(), 'fg-gh-'));
  try {
    await body(repo, exampleRepository(), gh);
  } finally {
    repo.remove();
    rmSync(gh, { recursive: true, force: true });
  }
}

describe('ci under GitHub Actions, over a pull request that tunes production and breaks staging', () => {
  let repo: TempRepo;
  let gh: string;
  let base: string;
  let result: CliRun;
  let staging: string;

  beforeAll(async () => {
    const files = exampleRepository();
    repo = createTempRepo();
    base = repo.commit(files, 'base');
    staging = files[STAGING]! + BROKEN_RULE;
    const head = repo.commit(
      { [PRODUCTION]: edit(files[PRODUCTION]!, '(fd.cip = "10.20.0.10")', '(fd.cip in ("10.20.0.10", "10.20.0.11"))'), [STAGING]: staging },
      'tune production, break staging',
    );
    gh = mkdtempSync(join(tmpdir(), 'fg-gh-'));
    writeFileSync(
      join(gh, 'event.json'),
      JSON.stringify({ action: 'synchronize', pull_request: { number: 12, base: { ref: 'main', sha: base }, head: { sha: head } } }),
    );
    writeFileSync(join(gh, 'output'), '');
    writeFileSync(join(gh, 'summary'), '');
    result = await run(['ci', '--sarif', join(gh, 'ci.sarif'), '--markdown', join(gh, 'report.md')], {
      cwd: repo.dir,
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: join(gh, 'event.json'),
        GITHUB_OUTPUT: join(gh, 'output'),
        GITHUB_STEP_SUMMARY: join(gh, 'summary'),
        GITHUB_REPOSITORY: 'acme/rules',
      },
    });
  });
  afterAll(() => {
    repo.remove();
    rmSync(gh, { recursive: true, force: true });
  });

  it('fails the gate (exit 1) without a usage or input error', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
  });

  it('annotates the broken condition on its own file and line', () => {
    const line = staging.split('\n').findIndex((l) => l.includes('proc.nmae')) + 1;
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    const errors = annotations.filter((l) => l.startsWith('::error '));
    const column = staging.split('\n')[line - 1]!.indexOf('proc.nmae') + 1;
    expect(errors).toEqual([
      `::error file=${STAGING},line=${line},col=${column},title=LOAD_ERR_COMPILE_CONDITION::filter_check called with nonexistent field proc.nmae (rule 'Fish shell spawned in staging')`,
    ]);
  });

  it('writes outputs: the gate failed, production changes by a patch to 1.7.1', () => {
    const outputs = parseOutputs(readFileSync(join(gh, 'output'), 'utf8'));
    expect(outputs.passed).toBe('false');
    expect(JSON.parse(outputs.versions!)).toMatchObject({ production: '1.7.1' });
    expect(JSON.parse(outputs.bumps!)).toMatchObject({ production: 'patch' });
    expect(JSON.parse(outputs.changed!)).toContain('production');
  });

  it('writes the Markdown report to the step summary: gates, versions and the production change', () => {
    const summary = readFileSync(join(gh, 'summary'), 'utf8');
    expect(summary.startsWith('### falco-gitops ci\n\n❌ ')).toBe(true);
    expect(summary).toContain('| validate | FAILED |');
    expect(summary).toMatch(/\| test \| passed \| [1-9]\d* passed, 0 failed \|/);
    expect(summary).toContain('| production | changed | 2 | patch | 1.7.0 → 1.7.1 |');
    expect(summary).toContain('| staging | unchanged, does not load | 0 | none | 1.3.0 |');
    expect(summary).toContain('| patch | macro `allowed_ssh_hosts` condition changed |');
    expect(summary).toContain('| patch | rule `Inbound SSH connection` compiled condition changed |');
    expect(summary).toContain(`\`${STAGING}:`);
    expect(readFileSync(join(gh, 'report.md'), 'utf8')).toBe(summary);
  });

  it('--help describes the command with examples', async () => {
    const help = await run(['ci', '--help'], { cwd: repo.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Pull-request checks in one run');
    expect(help.stdout).toContain('falco-gitops ci --base origin/main --markdown report.md --sarif ci.sarif');
    const release = await run(['release', '--help'], { cwd: repo.dir });
    expect(release.code).toBe(0);
    expect(release.stdout).toContain("--sign-command 'cosign sign --yes {ref}'");
  });

  it('writes SARIF 2.1.0 with the error located in the staging overlay', () => {
    const sarif = JSON.parse(readFileSync(join(gh, 'ci.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const errors = sarif.runs[0]!.results.filter((r) => r.level === 'error');
    expect(errors.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toContain(STAGING);
  });

  it('against its own commit nothing changes; outside Actions no annotation is printed; broken staging still fails', async () => {
    const clean = await run(['ci', '--base', 'HEAD', '--format', 'json'], { cwd: repo.dir, env: {} });
    expect(clean.code).toBe(1);
    const data = JSON.parse(clean.stdout) as { data: { versions: { environment: string; status: string }[] } };
    expect(data.data.versions.map((v) => [v.environment, v.status])).toEqual([
      ['production', 'unchanged'],
      ['staging', 'unchanged'],
    ]);
    expect(clean.stdout).not.toContain('::error');
  });

  it('outside a pull request, --base is required (exit 2); a bad ref is an input error (exit 2)', async () => {
    expect((await run(['ci'], { cwd: repo.dir, env: {} })).code).toBe(2);
    const bad = await run(['ci', '--base', 'no-such-ref'], { cwd: repo.dir, env: {} });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("cannot resolve revision 'no-such-ref'");
  });
});

describe('ci over a pull request that only tunes production', () => {
  it('passes (exit 0): no error annotation, any warning located, the outputs name production 1.7.1', async () =>
    withExampleRepo(async (repo, files, gh) => {
      const base = repo.commit(files, 'base');
      repo.commit({ [PRODUCTION]: edit(files[PRODUCTION]!, '(fd.cip = "10.20.0.10")', '(fd.cip in ("10.20.0.10", "10.20.0.11"))') }, 'tune production');
      writeFileSync(join(gh, 'output'), '');
      const r = await run(['ci', '--base', base], { cwd: repo.dir, env: { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(gh, 'output') } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
      expect(annotations.filter((l) => l.startsWith('::error'))).toEqual([]);
      expect(
        annotations.every((l) => /^::(warning|notice) file=[^,]+,line=\d+,col=\d+,title=/.test(l)),
        annotations.join('\n'),
      ).toBe(true);
      expect(parseOutputs(readFileSync(join(gh, 'output'), 'utf8'))).toEqual({
        passed: 'true',
        changed: '["production"]',
        versions: '{"production":"1.7.1"}',
        bumps: '{"production":"patch"}',
      });
    }));
});

describe('ci over a pull request that moves the pinned upstream', () => {
  it('reports the overrides the new upstream changes underneath, per environment, on our lines', async () =>
    withExampleRepo(async (repo, files) => {
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
        'upstream 1.1.0',
      );
      const r = await run(['ci', '--base', base, '--format', 'json'], { cwd: repo.dir, env: {} });
      const report = JSON.parse(r.stdout) as {
        findings: {
          checkId: string;
          messageId: string;
          itemName: string;
          environment: string;
          location: { file: string; line: number };
          related?: { message: string; location: { file: string; line: number } }[];
        }[];
      };
      const shadow = report.findings.filter((f) => f.checkId.startsWith('shadow/'));
      const line = (file: string) => files[file]!.split('\n').findIndex((l) => l === '- macro: allowed_ssh_hosts') + 1;
      expect(shadow.map((f) => [f.checkId, f.itemName, f.environment, f.location.file, f.location.line])).toEqual([
        ['shadow/changed-underneath', 'allowed_ssh_hosts', 'production', PRODUCTION, line(PRODUCTION)],
        ['shadow/changed-underneath', 'allowed_ssh_hosts', 'staging', STAGING, line(STAGING)],
      ]);
      // The same mapping as `upstream check`: the upstream item before and after, as related locations.
      expect(shadow[0]!.messageId).toBe('macro');
      expect(shadow[0]!.related?.map((x) => [x.message, x.location.file, x.location.line])).toEqual([
        ["upstream (base) macro 'allowed_ssh_hosts'", upstream, line(upstream)],
        ["upstream (new) macro 'allowed_ssh_hosts'", upstream, line(upstream)],
      ]);
    }));
});

describe('ci over a repository whose policy names an unknown lint check', () => {
  it('is a config error (exit 2) naming file, line and key, before any gate runs', async () =>
    withExampleRepo(async (repo, files) => {
      const config = edit(files['falco-gitops.yaml']!, '      costTableSize: 5\n', '      costTableSize: 5\n      disable: [no-such-check]\n');
      const production = edit(files['environments/production/environment.yaml']!, 'failOn: [required-tags, ', 'failOn: [required-tag, ');
      const base = repo.commit({ ...files, 'falco-gitops.yaml': config, 'environments/production/environment.yaml': production }, 'base');
      const r = await run(['ci', '--base', base], { cwd: repo.dir, env: { GITHUB_ACTIONS: 'true' } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      const at = (text: string, needle: string) => {
        const lines = text.split('\n');
        const line = lines.findIndex((l) => l.includes(needle));
        return `${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
      };
      expect(lines[0]).toBe(
        `environments/production/environment.yaml:${at(production, 'required-tag,')}: error CONFIG_ERROR: unknown lint check 'required-tag' in 'policy.lint.failOn' (did you mean 'required-tags'?) (config 'policy.lint.failOn.0')`,
      );
      expect(
        lines[1]!.startsWith(
          `falco-gitops.yaml:${at(config, 'no-such-check')}: error CONFIG_ERROR: unknown lint check 'no-such-check' in 'defaults.policy.lint.disable' (known checks: append-precedence, `,
        ),
      ).toBe(true);
      expect(lines[1]!.endsWith(`) (config 'defaults.policy.lint.disable.0')`)).toBe(true);
      expect(lines.slice(2)).toEqual(['error: the repository configuration names unknown lint checks']);
    }));
});

describe('ci with more findings than GitHub annotates per step', () => {
  it('prints 10 warnings sorted by file and line, then one notice counting the rest, which the SARIF file has', async () =>
    withExampleRepo(async (repo, files, gh) => {
      const base = repo.commit(files, 'base');
      // Twelve new staging rules without a mitre_* tag: one required-tags warning each.
      const untagged = Array.from(
        { length: 12 },
        (_, i) => `
- rule: Untagged staging rule ${i + 1}
  desc: A rule without an ATT&CK tag.
  condition: spawned_process and container and proc.name = tool${i + 1}
  output: Tool ${i + 1} ran (command=%proc.cmdline container_id=%container.id)
  priority: NOTICE
  tags: [container]
`,
      ).join('');
      repo.commit({ [STAGING]: files[STAGING]! + untagged }, 'staging: twelve untagged rules');
      writeFileSync(join(gh, 'summary'), '');
      const r = await run(['ci', '--base', base, '--sarif', 'ci.sarif'], {
        cwd: repo.dir,
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(gh, 'summary') },
      });
      expect(r.stderr).toBe('');
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
      const warnings = annotations.filter((l) => l.startsWith('::warning '));
      expect(warnings).toHaveLength(10);
      const places = warnings.map((l) => /file=([^,]+),line=(\d+)/.exec(l)!).map((m) => [m[1]!, Number(m[2])] as const);
      expect(places).toEqual([...places].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])));
      const sarif = JSON.parse(readFileSync(join(repo.dir, 'ci.sarif'), 'utf8')) as { runs: { results: { level: string }[] }[] };
      const inSarif = (level: string) => sarif.runs[0]!.results.filter((x) => x.level === level).length;
      expect(inSarif('warning')).toBeGreaterThanOrEqual(12);
      const omitted = inSarif('warning') - 10;
      expect(annotations.at(-1)).toBe(
        `::notice::${omitted} more findings (${omitted} warnings) not annotated: GitHub shows 10 of each level per step; all of them are in the job summary and the SARIF report (ci.sarif)`,
      );
      expect(annotations.filter((l) => l.startsWith('::error'))).toEqual([]);
    }));
});

describe('ci over a pull request that adds a Falco target lacking a field a staging overlay uses', () => {
  it('fails the gate with an error annotation naming the target, the field and the overlay line', async () =>
    withExampleRepo(async (repo, files, gh) => {
      const base = repo.commit(files, 'base');
      // proc.aargs is in libs 0.21 (Falco 0.41.0) and later; Falco 0.40.0 (libs 0.20.0) has no such field.
      const rule =
        '\n- rule: Shell under nginx\n  desc: d\n  condition: spawned_process and proc.aargs contains nginx\n  output: o (%proc.cmdline)\n  priority: NOTICE\n  tags: [shell]\n';
      const staging = files[STAGING]! + rule;
      const env = 'environments/staging/environment.yaml';
      repo.commit({ [STAGING]: staging, [env]: `${files[env]!}falco:\n  - version: 0.44.1\n  - version: 0.40.0\n` }, 'staging: two Falco targets');
      writeFileSync(join(gh, 'output'), '');
      const r = await run(['ci', '--base', base, '--markdown', join(gh, 'comment.md')], {
        cwd: repo.dir,
        env: { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(gh, 'output') },
      });
      expect(r.code).toBe(1);
      const line = staging.split('\n').findIndex((l) => l.includes('proc.aargs')) + 1;
      // the pull-request comment: one error row with the overlay's file:line, the target and the field
      const rows = readFileSync(join(gh, 'comment.md'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('| error |'));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(`\`${STAGING}:${line}:`);
      expect(rows[0]).toMatch(/falco 0\.40\.0 \(no plugins\): .*nonexistent field proc\.aargs/);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        new RegExp(`^::error file=${STAGING.replace(/[/.]/g, '\\$&')},line=${line},col=\\d+,.*falco 0\\.40\\.0 \\(no plugins\\): .*proc\\.aargs`),
      );
      expect(parseOutputs(readFileSync(join(gh, 'output'), 'utf8')).passed).toBe('false');
    }));
});
