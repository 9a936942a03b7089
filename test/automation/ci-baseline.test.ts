/**
 * Pull requests on a repository pinning real upstream rules, whose base already has a finding that
 * production's policy fails on: `ci` lists only what a change brings to the items it touched,
 * collapses the rest, counts what it fixed, and fails a gate only on new findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../git/temp-repo.js';
import { initPinnedRepository, type InitRepository } from './init-repo.js';
import { run } from '../helpers/cli.js';
import { missingUpstream } from '../helpers/shared.js';

const RULES = 'falco_rules/rules-5.1.0.yaml';
const missing = missingUpstream(RULES);
const OVERLAY = 'environments/production/overlays/tuning.yaml';

const SHELL_RULE = `- rule: Our shell watch
  desc: a shell started
  condition: evt.type = execve and proc.name in (bash, sh, zsh)
  output: "shell %proc.cmdline"
  priority: WARNING
  tags: [mitre_execution]
`;
const NETCAT_RULE = `- rule: Our netcat watch
  desc: nc started
  condition: evt.type = execve and proc.name in (nc, ncat)
  output: "nc %proc.cmdline"
  priority: WARNING
  tags: [mitre_execution, team_sec]
`;
const BASE_OVERLAY = `${SHELL_RULE}\n${NETCAT_RULE}`;

interface Problem {
  checkId: string;
  itemName: string;
  location: { file: string; line: number };
  baseline?: { state: string; inChange: boolean };
}
interface CiJson {
  findings: Problem[];
  baseline: { base: string; fixed: { id: string; itemName: string }[] };
  data: { gates: { gate: string; passed: boolean }[] };
}

describe.skipIf(missing !== undefined)(`ci against the pull request's base${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let repo: TempRepo;
  let setup: InitRepository;
  const cli = (argv: string[], env: Record<string, string> = {}) => run(argv, { cwd: repo.dir, env: { HOME: repo.dir, ...env } });
  const ours = (r: CiJson) => r.findings.filter((f) => f.location.file === OVERLAY);
  let base: string;
  beforeAll(async () => {
    setup = await initPinnedRepository('5.1.0');
    ({ repo } = setup);
    // the base already breaks production's policy: "Our shell watch" names no team_* tag
    base = repo.commit({ [OVERLAY]: BASE_OVERLAY }, 'init, pin falco_rules 5.1.0, watch shells and netcat');
    expect((await cli(['lint', '--env', 'production'])).code).toBe(1);
  });
  afterAll(() => setup.remove());

  it("a pull request that changes one overlay line lists only that line's finding, in the comment and the annotations", async () => {
    repo.commit({ [OVERLAY]: BASE_OVERLAY.replace('tags: [mitre_execution, team_sec]', 'tags: [mitre_execution]') }, 'drop the team tag of netcat');
    const comment = join(repo.dir, 'comment.md');
    const text = await cli(['ci', '--base', base, '--markdown', comment], { GITHUB_ACTIONS: 'true' });
    expect(text.code).toBe(1);
    const annotations = text.stdout.split('\n').filter((l) => l.startsWith('::warning') || l.startsWith('::error'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toContain(`file=${OVERLAY},line=8`);
    expect(annotations[0]).toContain('Our netcat watch');

    const markdown = readFileSync(comment, 'utf8');
    const [listed, collapsed] = markdown.split('<details>');
    expect(listed).toContain('rule "Our netcat watch" has no tag matching team\\_\\*');
    expect(listed).not.toContain('Our shell watch');
    expect(listed).toContain('1 new problem, 1 unchanged, 0 fixed');
    expect(collapsed).toContain('<summary>1 more problem (1 unchanged)</summary>');
    expect(collapsed).toContain('rule "Our shell watch" has no tag matching team\\_\\*');

    const json = JSON.parse((await cli(['ci', '--base', base, '--format', 'json'])).stdout) as CiJson;
    expect(ours(json).map((f) => [f.itemName, f.baseline])).toEqual([
      ['Our shell watch', { state: 'unchanged', inChange: false }],
      ['Our netcat watch', { state: 'new', inChange: true }],
    ]);
    expect(json.data.gates.find((g) => g.gate === 'lint')?.passed).toBe(false);
  });

  it('moved lines stay unchanged: a finding the base had never fails the gate, and a fix is counted', async () => {
    // a new, well-tagged rule above both moves every line; the shell rule's finding is the base's
    const added = `- rule: Our socat watch\n  desc: socat started\n  condition: evt.type = execve and proc.name = socat\n  output: "socat %proc.cmdline"\n  priority: WARNING\n  tags: [mitre_execution, team_sec]\n\n`;
    repo.commit({ [OVERLAY]: added + BASE_OVERLAY }, 'watch socat too');
    const moved = await cli(['ci', '--base', base, '--format', 'json']);
    expect(moved.code).toBe(0);
    const movedJson = JSON.parse(moved.stdout) as CiJson;
    expect(ours(movedJson).map((f) => [f.itemName, f.location.line, f.baseline])).toEqual([['Our shell watch', 8, { state: 'unchanged', inChange: false }]]);
    expect(movedJson.baseline.fixed).toEqual([]);

    repo.commit({ [OVERLAY]: added + BASE_OVERLAY.replace('tags: [mitre_execution]\n', 'tags: [mitre_execution, team_sec]\n') }, 'tag the shell rule');
    const fixed = await cli(['ci', '--base', base, '--format', 'json']);
    expect(fixed.code).toBe(0);
    const fixedJson = JSON.parse(fixed.stdout) as CiJson;
    expect(ours(fixedJson)).toEqual([]);
    expect(fixedJson.baseline.fixed.map((f) => [f.id, f.itemName])).toEqual([['required-tags', 'Our shell watch']]);
    const markdown = (await cli(['ci', '--base', base, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('0 new problems, 0 unchanged, 1 fixed');
    expect(markdown).toContain('<summary>1 problem fixed</summary>');
  });
});
