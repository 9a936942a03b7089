import { unknownListName } from '../../../../src/analysis/lint/checks/unknown-list-name.js';
import { checkTable, rule } from '../check-table.js';

const LIST = '- list: shell_binaries\n  items: [bash, sh]\n';

checkTable(unknownListName, {
  flagged: [
    { name: 'a misspelt list name in in (…)', yaml: LIST + rule('R', 'evt.type = execve and proc.name in (shel_binaries)'), messageId: 'notList', line: 5 },
    {
      name: 'a misspelt list name among values',
      yaml: LIST + rule('R', 'evt.type = execve and proc.pname in (sshd, shell_binarys)'),
      messageId: 'notList',
      line: 5,
    },
  ],
  fine: [
    { name: 'the list by its name', yaml: LIST + rule('R', 'evt.type = execve and proc.name in (shell_binaries)') },
    { name: 'plain values far from any list name', yaml: LIST + rule('R', 'evt.type = execve and proc.name in (bash, my_agent)') },
  ],
});
