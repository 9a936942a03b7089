import { overwriteUpstream } from '../../../../src/analysis/lint/checks/overwrite-upstream.js';
import { checkTable, rule } from '../check-table.js';

const upstream =
  '# @upstream\n- list: shells\n  items: [bash, sh]\n- macro: spawned\n  condition: evt.type = execve\n' + rule('Shell', 'spawned and proc.name in (shells)');

checkTable(overwriteUpstream, {
  flagged: [
    { name: 'a rule redefined', yaml: upstream + '# @overlay\n' + rule('Shell', 'spawned and proc.name = bash'), messageId: 'redefine', line: 1 },
    { name: 'a list redefined', yaml: upstream + '# @overlay\n- list: shells\n  items: [bash]\n', messageId: 'redefine', line: 1 },
    {
      name: 'a macro condition replaced',
      yaml: upstream + '# @overlay\n- macro: spawned\n  condition: evt.type = execveat\n  override:\n    condition: replace\n',
      messageId: 'replace',
      line: 2,
    },
  ],
  fine: [
    { name: 'a list appended', yaml: upstream + '# @overlay\n- list: shells\n  items: [zsh]\n  override:\n    items: append\n' },
    {
      name: 'a user_ hook redefined',
      yaml:
        '# @upstream\n- macro: user_known_x\n  condition: proc.name = never\n' +
        rule('Shell', 'evt.type = execve and not user_known_x') +
        '# @overlay\n- macro: user_known_x\n  condition: proc.name = ansible\n',
    },
    {
      name: 'a (never_true) placeholder redefined',
      yaml:
        '# @upstream\n- macro: never_true\n  condition: (evt.num = 0)\n- macro: allowed_ssh_hosts\n  condition: (never_true)\n' +
        rule('Ssh', 'evt.type = accept and not allowed_ssh_hosts') +
        '# @overlay\n- macro: allowed_ssh_hosts\n  condition: (fd.sip = 10.0.0.1)\n',
    },
    { name: 'a redefinition inside the same upstream layer', yaml: upstream + rule('Shell', 'spawned and proc.name = bash') },
    { name: 'an item of our own', yaml: upstream + '# @overlay\n' + rule('Mine', 'spawned and proc.name = nc') },
  ],
});
