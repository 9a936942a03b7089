import { describe, expect, it } from 'vitest';
import { planTags } from '../../src/oci/index.js';

describe('planTags', () => {
  const cases: { name: string; version: string; existing: string[]; floating: string[]; held: string[] }[] = [
    { name: 'first release', version: '1.0.0', existing: [], floating: ['1.0', '1', 'latest'], held: [] },
    { name: 'a newer patch', version: '1.2.5', existing: ['1.2.4', '1.2', '1', 'latest'], floating: ['1.2', '1', 'latest'], held: [] },
    {
      name: 'a backport after 1.3.0 moves only 1.2',
      version: '1.2.5',
      existing: ['1.2.4', '1.3.0', '1.2', '1.3', '1', 'latest'],
      floating: ['1.2'],
      held: ['1:1.3.0', 'latest:1.3.0'],
    },
    { name: 'an old major after 2.0.0 moves 1.x and 1', version: '1.4.0', existing: ['1.3.0', '2.0.0'], floating: ['1.4', '1'], held: ['latest:2.0.0'] },
    {
      name: 'an older patch in the same line moves nothing',
      version: '1.2.3',
      existing: ['1.2.4'],
      floating: [],
      held: ['1.2:1.2.4', '1:1.2.4', 'latest:1.2.4'],
    },
    { name: 'a pre-release gets only its own tag', version: '2.0.0-rc.1', existing: ['1.0.0'], floating: [], held: [] },
    {
      name: 'existing pre-releases do not hold floating tags',
      version: '1.0.0',
      existing: ['1.1.0-rc.1', '2.0.0-beta'],
      floating: ['1.0', '1', 'latest'],
      held: [],
    },
    { name: 're-publishing the newest version keeps its tags', version: '1.7.0', existing: ['1.7.0', '1.6.0'], floating: ['1.7', '1', 'latest'], held: [] },
    { name: 'non-version tags are ignored', version: '0.1.0', existing: ['main', 'v9.9.9', 'latest'], floating: ['0.1', '0', 'latest'], held: [] },
    { name: 'numeric comparison, not lexical', version: '1.10.0', existing: ['1.9.0'], floating: ['1.10', '1', 'latest'], held: [] },
  ];
  it.each(cases)('$name', ({ version, existing, floating, held }) => {
    const plan = planTags(version, existing);
    expect(plan.version).toBe(version);
    expect(plan.floating).toEqual(floating);
    expect(plan.held.map((h) => `${h.tag}:${h.by}`)).toEqual(held);
  });
});
