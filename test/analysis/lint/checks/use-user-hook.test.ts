import { useUserHook } from '../../../../src/analysis/lint/checks/use-user-hook.js';
import { checkTable, rule } from '../check-table.js';

const upstream = '# @upstream\n- macro: user_known_shell_parents\n  condition: (proc.pname = never)\n' + rule('Shell', 'evt.type = execve and proc.name = bash and not user_known_shell_parents');

checkTable(useUserHook, {
  flagged: [
    { name: 'override append of and not', yaml: upstream + '# @overlay\n- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n', messageId: 'hook', line: 2 },
    { name: 'legacy append of and not', yaml: upstream + '# @overlay\n- rule: Shell\n  condition: and not proc.pname = sshd\n  append: true\n', messageId: 'hook', line: 2 },
  ],
  fine: [
    { name: 'the hook redefined', yaml: upstream + '# @overlay\n- macro: user_known_shell_parents\n  condition: (proc.pname = sshd)\n' },
    { name: 'a rule without a hook', yaml: rule('Shell', 'evt.type = execve and proc.name = bash') + '- rule: Shell\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n' },
    { name: 'an append that is not an exclusion', yaml: upstream + '# @overlay\n- rule: Shell\n  condition: and proc.tty != 0\n  override:\n    condition: append\n' },
  ],
});
