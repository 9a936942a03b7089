import { describe, expect, it } from 'vitest';
import { ignoredExceptionKey } from '../../../../src/analysis/lint/checks/ignored-exception-key.js';
import { checkTable, rule } from '../check-table.js';
import { findingsOf } from '../harness.js';

const exceptions = (...entries: string[]) => `  exceptions:\n${entries.join('')}`;
const entry = (keys: string) => `    - name: agents\n${keys}`;
const R = (extra: string) => rule('R', 'evt.type = openat and fd.name startswith /etc/', extra);

checkTable(ignoredExceptionKey, {
  flagged: [
    {
      name: 'a misspelt comps',
      yaml: R(exceptions(entry('      fields: [proc.name, fd.name]\n      comp: [=, startswith]\n      values: [[restic, /etc/]]\n'))),
      messageId: 'ignored',
      line: 9,
    },
    {
      name: 'a key of its own in an appended exception, and one per ignored key',
      yaml: `${R('')}- rule: R\n  exceptions:\n    - name: agents\n      fields: proc.name\n      values: [restic]\n      note: backups\n      owner: sre\n  override: {exceptions: append}\n`,
      messageId: 'ignored',
      line: 11,
      count: 2,
    },
  ],
  fine: [
    { name: 'the four keys Falco reads', yaml: R(exceptions(entry('      fields: [proc.name]\n      comps: [=]\n      values: [[restic]]\n'))) },
    {
      name: 'values appended to an exception by name',
      yaml: `${R(exceptions(entry('      fields: [proc.name]\n')))}- rule: R\n  exceptions:\n    - name: agents\n      values: [[restic]]\n  override: {exceptions: append}\n`,
    },
  ],
});

describe('ignored-exception-key findings', () => {
  it("name the exception, the rule and the key, at the key's column, with the key meant as hint", () => {
    const [finding] = findingsOf(ignoredExceptionKey, R(exceptions(entry('      fields: [proc.name]\n      valeus: [[restic]]\n'))));
    expect(finding!.message).toBe("exception 'agents' of rule \"R\" has a key 'valeus' that Falco ignores");
    expect([finding!.location.line, finding!.location.column]).toEqual([9, 7]);
    expect(finding!.hint).toContain("'values'");
  });
});
