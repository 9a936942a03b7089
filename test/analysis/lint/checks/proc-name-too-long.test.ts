import { procNameTooLong } from '../../../../src/analysis/lint/checks/proc-name-too-long.js';
import { checkTable, rule } from '../check-table.js';

checkTable(procNameTooLong, {
  flagged: [
    { name: 'equality with a long name', yaml: rule('R', 'evt.type = execve and proc.name = containerd-shim-runc-v2'), messageId: 'long', line: 3 },
    {
      name: 'a long item of a list used with in',
      yaml: '- list: shims\n  items: [containerd-shim, containerd-shim-runc-v2]\n' + rule('R', 'evt.type = execve and proc.name in (shims)'),
      messageId: 'long',
      line: 5,
    },
    { name: 'proc.pname too', yaml: rule('R', 'evt.type = execve and not proc.pname = kube-controller-manager'), messageId: 'long', line: 3 },
  ],
  fine: [
    { name: 'exactly 15 characters', yaml: rule('R', 'evt.type = execve and proc.name = containerd-shim') },
    { name: 'proc.exepath has no limit', yaml: rule('R', 'evt.type = execve and proc.exepath = /usr/bin/containerd-shim-runc-v2') },
    { name: 'contains is not an exact match', yaml: rule('R', 'evt.type = execve and proc.cmdline contains containerd-shim-runc-v2') },
  ],
});
