import { useExceptions } from '../../../../src/analysis/lint/checks/use-exceptions.js';
import { checkTable, rule } from '../check-table.js';

const withExceptions = rule('Shell', 'evt.type = execve and proc.name = bash', '  exceptions:\n    - name: known_parents\n      fields: [proc.pname]\n');

checkTable(useExceptions, {
  flagged: [
    {
      name: 'and not appended to a rule with exceptions',
      yaml: withExceptions + '- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n',
      messageId: 'exceptions',
      line: 10,
    },
  ],
  fine: [
    {
      name: 'values appended to the exception',
      yaml: withExceptions + '- rule: Shell\n  exceptions:\n    - name: known_parents\n      values: [[sshd]]\n  override:\n    exceptions: append\n',
    },
    {
      name: 'a rule without exceptions',
      yaml:
        rule('Shell', 'evt.type = execve and proc.name = bash') + '- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n',
    },
  ],
});
