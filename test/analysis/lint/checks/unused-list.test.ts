import { unusedList } from '../../../../src/analysis/lint/checks/unused-list.js';
import { checkTable, rule } from '../check-table.js';

checkTable(unusedList, {
  flagged: [{ name: 'a list nobody uses', yaml: '- list: l\n  items: [a]\n' + rule('R', 'evt.type = execve'), messageId: 'unused', line: 1 }],
  fine: [
    { name: 'used in a condition', yaml: '- list: l\n  items: [a]\n' + rule('R', 'evt.type = execve and proc.name in (l)') },
    { name: 'used by another list', yaml: '- list: l\n  items: [a]\n- list: k\n  items: [l, b]\n' + rule('R', 'evt.type = execve and proc.name in (k)') },
  ],
});
