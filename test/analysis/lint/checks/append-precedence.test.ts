import { appendPrecedence } from '../../../../src/analysis/lint/checks/append-precedence.js';
import { checkTable, rule } from '../check-table.js';

const append = (condition: string) => `- rule: R\n  condition: ${condition}\n  override:\n    condition: append\n`;

checkTable(appendPrecedence, {
  flagged: [
    {
      name: 'and not after a top-level or',
      yaml: rule('R', 'evt.type = execve and proc.name = a or evt.type = open and proc.name = b') + append('and not proc.pname = sshd'),
      messageId: 'and',
      line: 7,
    },
    { name: 'or after a top-level and', yaml: rule('R', 'evt.type = execve and proc.name = a') + append('or proc.name = b'), messageId: 'or', line: 7 },
    {
      name: 'on a macro, with legacy append',
      yaml:
        '- macro: m\n  condition: proc.name = a or proc.name = b\n- macro: m\n  condition: and not proc.pname = x\n  append: true\n' +
        rule('R', 'evt.type = execve and m'),
      messageId: 'and',
      line: 4,
    },
  ],
  fine: [
    { name: 'and after and', yaml: rule('R', 'evt.type = execve and proc.name = a') + append('and not proc.pname = sshd') },
    { name: 'and after a parenthesised or', yaml: rule('R', '(evt.type = execve and (proc.name = a or proc.name = b))') + append('and not proc.pname = sshd') },
    {
      name: 'or after or',
      yaml:
        '- macro: m\n  condition: proc.name = a or proc.name = b\n- macro: m\n  condition: or proc.name = c\n  override:\n    condition: append\n' +
        rule('R', 'evt.type = execve and m'),
    },
  ],
});
