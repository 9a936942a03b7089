import { noEvttype } from '../../../../src/analysis/lint/checks/no-evttype.js';
import { checkTable, rule } from '../check-table.js';

checkTable(noEvttype, {
  flagged: [
    { name: 'no event-type test at all', yaml: rule('R', 'proc.name = nc'), messageId: 'all', line: 3 },
    { name: 'an unrestricted "or" branch', yaml: rule('R', 'evt.type = execve or proc.name = nc'), messageId: 'all', line: 3 },
    { name: 'a negated event type matches almost everything', yaml: rule('R', 'evt.type != execve and proc.name = nc'), messageId: 'many', line: 3 },
  ],
  fine: [
    { name: 'a positive evt.type test', yaml: rule('R', 'evt.type = execve and proc.name = nc') },
    { name: 'warn_evttypes: false says it is meant', yaml: rule('R', 'proc.name = nc', '  warn_evttypes: false\n') },
    {
      name: 'plugin sources have no event types',
      yaml: '- rule: R\n  desc: d\n  condition: ka.verb = create\n  output: o %ka.verb\n  priority: NOTICE\n  source: k8s_audit\n',
    },
  ],
});
