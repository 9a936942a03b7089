import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendOutputs,
  appendStepSummary,
  formatOutput,
  parseOutputs,
  pullRequestOf,
  readEventPayload,
  readGitHubContext,
} from '../../src/automation/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fg-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GITHUB_OUTPUT', () => {
  it('single-line values are name=value, multi-line ones use a delimiter', () => {
    expect(formatOutput('passed', 'true')).toBe('passed=true\n');
    expect(formatOutput('report', 'a\nb', 'EOF_X')).toBe('report<<EOF_X\na\nb\nEOF_X\n');
    expect(() => formatOutput('report', 'a\nEOF_X', 'EOF_X')).toThrow(/delimiter/);
  });

  it('appended outputs read back as written, after what was there', async () => {
    const path = join(dir, 'output');
    writeFileSync(path, 'earlier=1\n');
    await appendOutputs(path, { versions: '{"production":"1.7.1"}', notes: 'line 1\nline 2' });
    expect(parseOutputs(readFileSync(path, 'utf8'))).toEqual({ earlier: '1', versions: '{"production":"1.7.1"}', notes: 'line 1\nline 2' });
  });

  it('the step summary is appended with a final newline', async () => {
    const path = join(dir, 'summary');
    await appendStepSummary(path, '# one');
    await appendStepSummary(path, '# two\n');
    expect(readFileSync(path, 'utf8')).toBe('# one\n# two\n');
  });
});

describe('GitHub context', () => {
  it('reads only what it is given', () => {
    const ctx = readGitHubContext({ GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: '/o', GITHUB_STEP_SUMMARY: '', GITHUB_REPOSITORY: 'acme/rules' });
    expect(ctx).toMatchObject({ actions: true, outputPath: '/o', stepSummaryPath: null, repository: 'acme/rules', apiUrl: 'https://api.github.com' });
    expect(readGitHubContext({}).actions).toBe(false);
  });

  it('a pull_request payload gives its number and base commit; a push payload none; bad JSON an error', async () => {
    const pr = { pull_request: { number: 42, base: { ref: 'main', sha: 'a'.repeat(40) }, head: { sha: 'b'.repeat(40) } } };
    expect(pullRequestOf(pr)).toEqual({ number: 42, baseRef: 'main', baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
    const push = join(dir, 'push.json');
    writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main' }));
    expect(await readEventPayload(push)).toEqual({ ok: true, pullRequest: null });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    const read = await readEventPayload(bad);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toContain('bad.json is not JSON');
  });
});
