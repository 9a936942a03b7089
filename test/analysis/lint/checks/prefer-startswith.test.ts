import { preferStartswith } from '../../../../src/analysis/lint/checks/prefer-startswith.js';
import { checkTable, rule } from '../check-table.js';

checkTable(preferStartswith, {
  flagged: [
    { name: 'contains with a root directory', yaml: rule('R', 'evt.type = open and fd.name contains /etc/'), messageId: 'contains', line: 3 },
    { name: 'a glob that is only a prefix', yaml: rule('R', 'evt.type = open and fd.name glob /var/run/*'), messageId: 'glob', line: 3 },
  ],
  fine: [
    { name: 'startswith', yaml: rule('R', 'evt.type = open and fd.name startswith /etc/') },
    { name: 'contains of a fragment found anywhere', yaml: rule('R', 'evt.type = open and fd.name contains /.ssh/') },
    { name: 'a real glob', yaml: rule('R', 'evt.type = open and fd.name glob /etc/*.conf') },
    { name: 'contains on a field that is not a path', yaml: rule('R', 'evt.type = execve and proc.cmdline contains /etc/shadow') },
  ],
});
