import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/analysis/lint/index.js';
import { REPO_ROOT } from '../../helpers/shared.js';
import { findingsOf } from './harness.js';

const HEADINGS = ['Summary', 'Rationale', 'Flagged example', 'Fine example', 'Fix'];

function section(page: string, heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  const rest = page.slice(start + heading.length + 5);
  const end = rest.indexOf('\n## ');
  return end < 0 ? rest : rest.slice(0, end);
}

function yamlBlock(text: string): string {
  const m = /```yaml\n([\s\S]*?)```/.exec(text);
  if (!m) throw new Error('no yaml block');
  return m[1]!;
}

describe('check list', () => {
  it('is sorted by id, with unique ids', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids).toEqual([...new Set(ids)].sort());
  });
});

describe.each(CHECKS.map((c) => [c.id, c] as const))('docs/checks/%s.md', (id, check) => {
  const path = join(REPO_ROOT, 'docs', 'checks', `${id}.md`);

  it('exists with the fixed headings, in order', () => {
    expect(existsSync(path)).toBe(true);
    const page = readFileSync(path, 'utf8');
    expect(page.startsWith(`# ${id}\n`)).toBe(true);
    expect([...page.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(HEADINGS);
    expect(section(page, 'Summary')).toContain(check.summary);
  });

  it('its flagged example is flagged and its fine example is not', () => {
    const page = readFileSync(path, 'utf8');
    expect(findingsOf(check, yamlBlock(section(page, 'Flagged example'))).length).toBeGreaterThan(0);
    expect(findingsOf(check, yamlBlock(section(page, 'Fine example'))).map((f) => f.message)).toEqual([]);
  });
});
