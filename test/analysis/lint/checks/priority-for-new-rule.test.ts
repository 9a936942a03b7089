import { priorityForNewRule } from '../../../../src/analysis/lint/checks/priority-for-new-rule.js';
import { checkTable } from '../check-table.js';

const r = (name: string, priority: string) =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = execve and proc.name = x\n  output: o\n  priority: ${priority}\n`;

checkTable(priorityForNewRule, {
  flagged: [
    {
      name: 'a new rule at CRITICAL',
      yaml: `# @base\n${r('Old', 'NOTICE')}# @overlay\n${r('Old', 'NOTICE')}${r('New', 'CRITICAL')}`,
      messageId: 'high',
      line: 6,
    },
    { name: 'a new rule at ERROR', yaml: `# @base\n${r('Old', 'NOTICE')}# @overlay\n${r('New', 'ERROR')}`, messageId: 'high', line: 1 },
  ],
  fine: [
    { name: 'a new rule at NOTICE', yaml: `# @base\n${r('Old', 'NOTICE')}# @overlay\n${r('New', 'NOTICE')}` },
    { name: 'an old rule at CRITICAL', yaml: `# @base\n${r('Old', 'CRITICAL')}# @overlay\n${r('Old', 'CRITICAL')}` },
    { name: 'no base ref', yaml: r('New', 'CRITICAL') },
  ],
});
