import { orChainToIn } from '../../../../src/analysis/lint/checks/or-chain-to-in.js';
import { checkTable, rule } from '../check-table.js';

checkTable(orChainToIn, {
  flagged: [
    {
      name: 'three equalities of one field',
      yaml: rule('R', 'evt.type = execve and (proc.name = nc or proc.name = ncat or proc.name = netcat)'),
      messageId: 'chain',
      line: 3,
    },
    {
      name: 'equalities mixed with in',
      yaml: rule('R', 'evt.type = execve and (proc.name = nc or proc.name in (ncat, socat) or proc.name == netcat)'),
      messageId: 'chain',
      line: 3,
    },
    {
      name: 'reported once, in the macro that holds it',
      yaml:
        '- macro: nc\n  condition: (proc.name = nc or proc.name = ncat or proc.name = netcat)\n' +
        rule('R1', 'evt.type = execve and nc') +
        rule('R2', 'evt.type = execveat and nc'),
      messageId: 'chain',
      line: 2,
    },
  ],
  fine: [
    { name: 'already an in', yaml: rule('R', 'evt.type = execve and proc.name in (nc, ncat, netcat)') },
    { name: 'two fields', yaml: rule('R', 'evt.type = execve and (proc.name = nc or proc.pname = ncat or proc.name = x)') },
    { name: 'equalities joined by and', yaml: rule('R', 'evt.type = execve and proc.name = nc and proc.name = ncat and proc.name = x') },
  ],
});
