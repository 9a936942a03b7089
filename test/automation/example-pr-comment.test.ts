/**
 * docs/example-pr-comment.md is `ci`'s comment on a realistic pull request, regenerated here from
 * the scenario (a repository started with `init`, pinning real upstream rules, and a pull request
 * that tunes it) and checked to be Markdown and Mermaid GitHub can render.
 * `UPDATE_EXAMPLES=1 npx vitest run test/automation/example-pr-comment.test.ts` rewrites it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { marked, type Token, type Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initPinnedRepository, type InitRepository } from './init-repo.js';
import { missingUpstream, REPO_ROOT } from '../helpers/shared.js';

const RULES = 'falco_rules/rules-5.1.0.yaml';
const missing = missingUpstream(RULES);
const EXAMPLE = join(REPO_ROOT, 'docs/example-pr-comment.md');
const OVERLAY = 'environments/production/overlays/tuning.yaml';

const BASE_OVERLAY = `# Production tuning: shells and admin tools we watch ourselves.

- list: our_admin_tools
  items: [kubectl, helm]

- macro: our_shells
  condition: proc.name in (bash, sh)

- rule: Our shell watch
  desc: An interactive shell started in a production container.
  condition: evt.type = execve and container.id != host and our_shells
  output: "Shell in container (user=%user.name command=%proc.cmdline container=%container.id)"
  priority: WARNING
  tags: [mitre_execution]

- rule: Admin tool in container
  desc: A cluster admin tool ran inside a workload container.
  condition: evt.type = execve and container.id != host and proc.name in (our_admin_tools)
  output: "Admin tool in container (user=%user.name command=%proc.cmdline)"
  priority: NOTICE
  tags: [mitre_execution, team_platform]
`;

/** The pull request: more shells, a new admin tool, a netcat rule, and shells paged on. */
function pullRequestOverlay(): string {
  return (
    BASE_OVERLAY.replace('items: [kubectl, helm]', 'items: [kubectl, helm, k9s]')
      .replace('condition: proc.name in (bash, sh)', 'condition: proc.name in (bash, sh, zsh, fish) and not proc.pname in (our_admin_tools)')
      .replace(
        'output: "Admin tool in container (user=%user.name command=%proc.cmdline)"',
        'output: "Admin tool in container (user=%user.name command=%proc.cmdline image=%container.image.repository)"',
      ) +
    `
- rule: Netcat in container
  desc: netcat started in a production container.
  condition: evt.type = execve and container.id != host and (proc.name = nc or proc.name = ncat)
  output: "Netcat in container (command=%proc.cmdline container=%container.id)"
  priority: WARNING
  tags: [mitre_execution]

- rule: Terminal shell in container
  priority: CRITICAL
  override:
    priority: replace
`
  );
}

async function renderExample({ repo, cli }: InitRepository): Promise<string> {
  const base = repo.commit({ [OVERLAY]: BASE_OVERLAY }, 'init, pin falco_rules 5.1.0, production tuning');
  execFileSync('git', ['update-ref', 'refs/remotes/origin/main', base], { cwd: repo.dir });
  repo.commit({ [OVERLAY]: pullRequestOverlay() }, 'watch more shells and netcat, page on terminal shells');
  const r = await cli('ci', '--base', 'origin/main', '--markdown', 'comment.md');
  expect(r.code).toBe(1);
  return readFileSync(join(repo.dir, 'comment.md'), 'utf8');
}

function walk(tokens: readonly Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    if ('tokens' in t && Array.isArray(t.tokens)) walk(t.tokens as Token[], visit);
    if (t.type === 'list') for (const item of (t as Tokens.List).items) walk(item.tokens, visit);
  }
}

describe.skipIf(missing !== undefined)(`the example pull-request comment${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let setup: InitRepository;
  let comment: string;
  beforeAll(async () => {
    setup = await initPinnedRepository('5.1.0');
    comment = await renderExample(setup);
    if (process.env.UPDATE_EXAMPLES === '1') writeFileSync(EXAMPLE, comment);
  });
  afterAll(() => setup.remove());

  it('docs/example-pr-comment.md is what ci prints for the scenario', () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(comment);
  });

  it('is Markdown GitHub renders: tables with their columns, balanced <details>, the new finding listed and the rest folded', () => {
    const tokens = marked.lexer(comment);
    const tables: Tokens.Table[] = [];
    const html: string[] = [];
    walk(tokens, (t) => {
      if (t.type === 'table') tables.push(t as Tokens.Table);
      if (t.type === 'html') html.push(t.raw);
    });
    const firstRow = (t: Tokens.Table) => t.header.map((h) => h.text);
    expect(tables.map(firstRow)).toContainEqual(['gate', 'result', 'detail']);
    expect(tables.map(firstRow)).toContainEqual(['severity', 'check', 'location', 'message']);
    const opened = html.join('').match(/<details>/g)?.length ?? 0;
    expect(opened).toBeGreaterThan(0);
    expect(html.join('').match(/<\/details>/g)?.length).toBe(opened);
    // the listed problems: only what this pull request brings to the items it touched
    const listed = tables[0]!;
    expect(listed.rows.map((r) => r[1]!.text)).toContain('required-tags');
    expect(listed.rows.every((r) => !r[3]!.text.includes('Our shell watch'))).toBe(true);
  });

  it('has one Mermaid chart, of the changed rules’ cost, that Mermaid parses', async () => {
    const charts: string[] = [];
    walk(marked.lexer(comment), (t) => {
      if (t.type === 'code' && (t as Tokens.Code).lang === 'mermaid') charts.push((t as Tokens.Code).text);
    });
    expect(charts).toHaveLength(1);
    expect(charts[0]).toContain('"Netcat in container"');
    // mermaid sanitizes with DOMPurify, which needs a window; linkedom is one without a browser
    (globalThis as { window?: unknown }).window ??= parseHTML('<!doctype html><html><body></body></html>').window;
    const { default: mermaid } = await import('mermaid');
    await expect(mermaid.parse(charts[0]!)).resolves.toMatchObject({ diagramType: 'xychart' });
    await expect(mermaid.parse(charts[0]!.replace(/\]\n/, '\n'))).rejects.toThrow();
  });
});
