import { describe, expect, it } from 'vitest';
import { countingReader, validateAndBuildFleet, writeFleetFixture } from '../../bench/fleet.js';
import { LATEST_TRIO, missingUpstream, readUpstream } from '../helpers/shared.js';

const missing = missingUpstream(...LATEST_TRIO);

/** The fixture `npm run bench` times at 500 clusters, here at 30: what it reads and parses, not how fast. */
describe.skipIf(missing !== undefined)('the fleet benchmark fixture', () => {
  it('validate + build of every cluster reads and parses each file once', () => {
    const fixture = writeFleetFixture(30, LATEST_TRIO.map(readUpstream));
    try {
      const reader = countingReader(fixture.root);
      const result = validateAndBuildFleet(reader);
      expect(result.built).toBe(30);
      // the trio, the organisation overlay, one file per cluster
      expect(fixture.rulesFiles).toHaveLength(3 + 1 + 30);
      expect(result.parsed).toBe(fixture.rulesFiles.length);
      for (const file of fixture.rulesFiles) expect(reader.reads.get(file), file).toBe(1);
      const readTwice = [...reader.reads].filter(([, n]) => n > 1).map(([path]) => path);
      expect(readTwice).toEqual([]);
      expect(reader.reads.get('environments/fleet/environment.yaml')).toBe(1);
    } finally {
      fixture.remove();
    }
  });
});
