import { useUserHook } from '../../../../src/analysis/lint/checks/use-user-hook.js';
import { checkTable, rule } from '../check-table.js';

const upstream =
  '# @upstream\n- macro: user_known_shell_parents\n  condition: (proc.pname = never)\n' +
  rule('Shell', 'evt.type = execve and proc.name = bash and not user_known_shell_parents');

checkTable(useUserHook, {
  flagged: [
    {
      name: 'override append of and not',
      yaml: upstream + '# @overlay\n- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n',
      messageId: 'hook',
      line: 2,
    },
    {
      name: 'legacy append of and not',
      yaml: upstream + '# @overlay\n- rule: Shell\n  condition: and not proc.pname = sshd\n  append: true\n',
      messageId: 'hook',
      line: 2,
    },
    {
      name: 'a (never_true) placeholder hook',
      yaml:
        '# @upstream\n- macro: never_true\n  condition: (evt.num = 0)\n- macro: allowed_ssh_hosts\n  condition: (never_true)\n' +
        rule('Ssh', 'evt.type = accept and not allowed_ssh_hosts') +
        '# @overlay\n- rule: Ssh\n  condition: and not fd.sip = 10.0.0.1\n  override:\n    condition: append\n',
      messageId: 'hook',
      line: 2,
    },
  ],
  fine: [
    { name: 'the hook redefined', yaml: upstream + '# @overlay\n- macro: user_known_shell_parents\n  condition: (proc.pname = sshd)\n' },
    {
      name: 'a rule without a hook',
      yaml:
        rule('Shell', 'evt.type = execve and proc.name = bash') + '- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n',
    },
    {
      name: 'a negated macro that is not a hook',
      yaml:
        '- macro: shells\n  condition: proc.name = bash\n' +
        rule('Shell', 'evt.type = execve and not shells') +
        '- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n',
    },
    {
      name: 'an append that is not an exclusion',
      yaml: upstream + '# @overlay\n- rule: Shell\n  condition: and proc.tty != 0\n  override:\n    condition: append\n',
    },
  ],
});
