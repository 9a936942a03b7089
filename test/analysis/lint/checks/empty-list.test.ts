import { emptyList } from '../../../../src/analysis/lint/checks/empty-list.js';
import { checkTable, rule } from '../check-table.js';

const use = rule('R', 'evt.type = execve and proc.name in (pkgs)');

checkTable(emptyList, {
  flagged: [
    { name: 'redefined as empty', yaml: '- list: pkgs\n  items: [apt, dnf]\n- list: pkgs\n  items: []\n' + use, messageId: 'emptied', line: 4 },
    {
      name: 'replaced with nothing',
      yaml: '# @upstream\n- list: pkgs\n  items: [apt]\n' + use + '# @overlay\n- list: pkgs\n  items: []\n  override:\n    items: replace\n',
      messageId: 'emptied',
      line: 2,
    },
  ],
  fine: [
    { name: 'a list with items', yaml: '- list: pkgs\n  items: [apt]\n' + use },
    { name: 'an empty hook from the start', yaml: '- list: pkgs\n  items: []\n' + use },
    { name: 'an empty append', yaml: '- list: pkgs\n  items: [apt]\n- list: pkgs\n  items: []\n  override:\n    items: append\n' + use },
  ],
});
