import { describe, expect, it } from 'vitest';
import { ignoredPluginRequirementKey } from '../../../../src/analysis/lint/checks/ignored-plugin-requirement-key.js';
import { checkTable } from '../check-table.js';
import { findingsOf } from '../harness.js';

const requirement = (entry: string) => `- required_plugin_versions:\n  - name: container\n    version: 0.1.0\n${entry}`;

checkTable(ignoredPluginRequirementKey, {
  flagged: [
    {
      name: 'a misspelt alternatives',
      yaml: requirement('    alternative:\n      - name: container-fork\n        version: 0.4.0\n'),
      messageId: 'ignored',
      line: 4,
    },
    {
      name: 'a key of its own in an alternative, and one per ignored key',
      yaml: requirement('    alternatives:\n      - name: container-fork\n        version: 0.4.0\n        vendor: aws\n        note: eks\n'),
      messageId: 'ignoredInAlternative',
      line: 7,
      count: 2,
    },
  ],
  fine: [
    { name: 'name and version only', yaml: requirement('') },
    { name: 'alternatives with name and version', yaml: requirement('    alternatives:\n      - name: container-fork\n        version: 0.4.0\n') },
  ],
});

describe('ignored-plugin-requirement-key findings', () => {
  it("name the plugin and the key, at the key's column, with the key meant as hint", () => {
    const [finding] = findingsOf(ignoredPluginRequirementKey, requirement('    alternative:\n      - name: container-fork\n        version: 0.4.0\n'));
    expect(finding!.message).toBe("required plugin version 'container' has a key 'alternative' that Falco ignores");
    expect([finding!.location.line, finding!.location.column]).toEqual([4, 5]);
    expect(finding!.hint).toContain("'alternatives'");
    expect([finding!.itemType, finding!.itemName]).toEqual(['required_plugin_versions', 'container']);
  });

  it('names the alternative whose key Falco ignores', () => {
    const [finding] = findingsOf(
      ignoredPluginRequirementKey,
      requirement('    alternatives:\n      - name: container-fork\n        versoin: 0.4.0\n        version: 0.4.0\n'),
    );
    expect(finding!.message).toBe("alternative 'container-fork' of required plugin version 'container' has a key 'versoin' that Falco ignores");
    expect(finding!.hint).toContain("'version'");
  });
});
