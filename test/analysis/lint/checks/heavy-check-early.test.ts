import { heavyCheckEarly } from '../../../../src/analysis/lint/checks/heavy-check-early.js';
import { checkTable, rule } from '../check-table.js';

checkTable(heavyCheckEarly, {
  flagged: [
    { name: 'glob before equality', yaml: rule('R', 'evt.type = open and fd.name glob /etc/*.conf and proc.name = nginx'), messageId: 'early', line: 3 },
    { name: 'regex before in', yaml: rule('R', "evt.type = open and fd.name regex '.*key' and proc.name in (a, b)"), messageId: 'early', line: 3 },
    { name: 'pmatch before equality', yaml: rule('R', 'evt.type = open and fd.name pmatch (/etc, /usr) and proc.name = x'), messageId: 'early', line: 3 },
  ],
  fine: [
    { name: 'equality first', yaml: rule('R', 'evt.type = open and proc.name = nginx and fd.name glob /etc/*.conf') },
    { name: 'only heavy tests', yaml: rule('R', 'evt.type = open and fd.name glob /etc/*.conf') },
    { name: 'a heavy test inside an "or" branch with nothing cheap after', yaml: rule('R', 'evt.type = open and (fd.name glob /a* or proc.name = b)') },
  ],
});
