import { describe, expect, it } from 'vitest';
import type { RepositoryReader } from '../../src/config/index.js';
import { upstreamStacks } from '../../src/environment/index.js';
import type { UpstreamLock } from '../../src/upstream/index.js';

const files: Record<string, string> = {
  'rules/upstream/falco_rules.yaml': '- list: shells\n  items: [bash]\n',
  'rules/org.yaml': '- list: shells\n  items: [zsh]\n  override:\n    items: append\n',
  'environments/edge/environment.yaml': 'version: 1.0.0\nlayers:\n  - rules/upstream/falco_rules.yaml\n  - rules/org.yaml\n',
  'environments/edge/clusters/a.yaml': 'layers:\n  - environments/edge/clusters/a/*.yaml\n',
  'environments/edge/clusters/a/hosts.yaml': '- list: shells\n  items: [fish]\n  override:\n    items: append\n',
  'environments/edge/clusters/b.yaml': 'layers: []\n',
};
const reader: RepositoryReader = { readText: (p) => files[p], listFiles: (d) => Object.keys(files).filter((p) => p.startsWith(`${d}/`)) };
const lock: UpstreamLock = {
  version: 1,
  rulesets: [{ name: 'falco_rules', version: '5.0.0', file: 'rules/upstream/falco_rules.yaml', sha256: '', source: { kind: 'path', path: 'x' } }],
};

describe('upstreamStacks', () => {
  it('splits each environment into locked upstream files (old and new text) and ours, a template name standing for its clusters', () => {
    const result = upstreamStacks(reader, lock, new Map([['falco_rules', '- list: shells\n  items: [bash, sh]\n']]), ['edge']);
    if (!result.ok) throw new Error(result.message);
    expect(result.stacks.map((s) => s.environment)).toEqual(['edge-a', 'edge-b']);
    const [a] = result.stacks;
    expect(a.base.map((f) => f.path)).toEqual(['rules/upstream/falco_rules.yaml']);
    expect(a.theirs[0].text).toContain('[bash, sh]');
    expect(a.ours.map((f) => f.path)).toEqual(['rules/org.yaml', 'environments/edge/clusters/a/hosts.yaml']);
  });

  it('an unknown environment is a usage error naming the known ones', () => {
    const result = upstreamStacks(reader, lock, new Map(), ['prod']);
    expect(result).toMatchObject({ ok: false, usage: true });
    expect(!result.ok && result.message).toMatch(/^unknown environment 'prod'.*known: edge-a, edge-b/);
  });
});
