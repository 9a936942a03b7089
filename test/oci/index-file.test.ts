import { describe, expect, it } from 'vitest';
import { updateIndexFile, type IndexEntry } from '../../src/oci/index.js';

const entry = (name: string, description = 'Acme production rules'): IndexEntry => ({
  name,
  type: 'rulesfile',
  registry: 'ghcr.io',
  repository: `acme/${name}`,
  description,
  home: 'https://github.com/acme/rules',
  keywords: ['falco-rules'],
  license: 'Apache-2.0',
  maintainers: [{ name: 'Security', email: 'sec@acme.example' }],
  sources: ['https://github.com/acme/rules'],
});

describe('updateIndexFile', () => {
  it('writes falcoctl index entries in its key order, sorted by name', () => {
    const text = updateIndexFile(null, [entry('rules-staging'), entry('rules-production')]);
    expect(text.startsWith('- name: rules-production\n  type: rulesfile\n  registry: ghcr.io\n  repository: acme/rules-production\n  description:')).toBe(true);
    expect(text.indexOf('rules-staging')).toBeGreaterThan(text.indexOf('rules-production'));
  });

  it('replaces our entry by name and keeps entries it does not own', () => {
    const first = updateIndexFile('- name: other\n  type: plugin\n', [entry('rules-production')]);
    const second = updateIndexFile(first, [entry('rules-production', 'changed')]);
    expect(second.match(/name: rules-production/g)).toHaveLength(1);
    expect(second).toContain('description: changed');
    expect(second).toContain('- name: other\n  type: plugin\n');
  });

  it('refuses an index that is not a list', () => {
    expect(() => updateIndexFile('name: x\n', [])).toThrow(/must be a YAML list/);
  });
});
