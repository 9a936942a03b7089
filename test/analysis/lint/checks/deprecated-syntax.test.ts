import { deprecatedSyntax } from '../../../../src/analysis/lint/checks/deprecated-syntax.js';
import { checkTable, rule } from '../check-table.js';

checkTable(deprecatedSyntax, {
  flagged: [
    {
      name: 'append: true on a list',
      yaml: '- list: l\n  items: [a]\n- list: l\n  items: [b]\n  append: true\n' + rule('R', 'evt.type = execve and proc.name in (l)'),
      messageId: 'append',
      line: 5,
    },
    { name: 'the standalone enabled form', yaml: rule('R', 'evt.type = execve') + '- rule: R\n  enabled: false\n', messageId: 'enabled', line: 7 },
    { name: 'syscall.type', yaml: rule('R', 'syscall.type = execve and proc.name = x'), messageId: 'syscallType', line: 3 },
  ],
  fine: [
    {
      name: 'override append',
      yaml: '- list: l\n  items: [a]\n- list: l\n  items: [b]\n  override:\n    items: append\n' + rule('R', 'evt.type = execve and proc.name in (l)'),
    },
    { name: 'enabled with override', yaml: rule('R', 'evt.type = execve') + '- rule: R\n  enabled: false\n  override:\n    enabled: replace\n' },
    { name: 'append: false', yaml: '- list: l\n  items: [a]\n  append: false\n' + rule('R', 'evt.type = execve and proc.name in (l)') },
  ],
});
