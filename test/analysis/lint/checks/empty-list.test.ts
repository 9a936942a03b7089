import { emptyList } from '../../../../src/analysis/lint/checks/empty-list.js';
import { checkTable, rule } from '../check-table.js';

checkTable(emptyList, {
  flagged: [{ name: 'an empty list used with in', yaml: '- list: pkgs\n  items: []\n' + rule('R', 'evt.type = execve and proc.name in (pkgs)'), messageId: 'empty', line: 1 }],
  fine: [
    { name: 'a list with items', yaml: '- list: pkgs\n  items: [apt]\n' + rule('R', 'evt.type = execve and proc.name in (pkgs)') },
    { name: 'an empty user_ hook', yaml: '- list: user_pkgs\n  items: []\n' + rule('R', 'evt.type = execve and not proc.name in (user_pkgs)') },
    { name: 'an unused empty list is unused-list\'s', yaml: '- list: pkgs\n  items: []\n' + rule('R', 'evt.type = execve') },
  ],
});
