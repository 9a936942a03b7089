import { unusedMacro } from '../../../../src/analysis/lint/checks/unused-macro.js';
import { checkTable, rule } from '../check-table.js';

checkTable(unusedMacro, {
  flagged: [{ name: 'a macro nobody uses', yaml: '- macro: m\n  condition: proc.name = a\n' + rule('R', 'evt.type = execve'), messageId: 'unused', line: 1 }],
  fine: [
    { name: 'used by a rule', yaml: '- macro: m\n  condition: proc.name = a\n' + rule('R', 'evt.type = execve and m') },
    { name: 'used by a used macro', yaml: '- macro: m\n  condition: proc.name = a\n- macro: n\n  condition: m\n' + rule('R', 'evt.type = execve and n') },
    {
      name: "unused upstream macros are upstream's",
      yaml: '# @upstream\n- macro: m\n  condition: proc.name = a\n# @overlay\n' + rule('R', 'evt.type = execve'),
    },
  ],
});
