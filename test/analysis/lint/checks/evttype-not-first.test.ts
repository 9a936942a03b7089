import { evttypeNotFirst } from '../../../../src/analysis/lint/checks/evttype-not-first.js';
import { checkTable, rule } from '../check-table.js';

checkTable(evttypeNotFirst, {
  flagged: [
    { name: 'a field test before evt.type', yaml: rule('R', 'proc.name = nc and evt.type = execve'), messageId: 'late', line: 3 },
    {
      name: 'through a macro whose first test is not the event type',
      yaml: '- macro: m\n  condition: proc.name = nc and evt.type = execve\n' + rule('R', 'm and fd.num >= 0'),
      messageId: 'late',
      line: 5,
    },
  ],
  fine: [
    { name: 'evt.type first', yaml: rule('R', 'evt.type = execve and proc.name = nc') },
    {
      name: 'evt.type first inside a macro',
      yaml: '- macro: spawned\n  condition: evt.type in (execve, execveat)\n' + rule('R', 'spawned and proc.name = nc'),
    },
    { name: "unrestricted rules are no-evttype's business", yaml: rule('R', 'proc.name = nc') },
  ],
});
