import { disabledEverywhere } from '../../../../src/analysis/lint/checks/disabled-everywhere.js';
import { checkTable, rule } from '../check-table.js';

const off = rule('Miner', 'evt.type = connect and fd.sport = 3333', '  enabled: false\n');
const on = rule('Miner', 'evt.type = connect and fd.sport = 3333');

checkTable(disabledEverywhere, {
  flagged: [{ name: 'disabled in both environments', yaml: `# @env staging\n${off}# @env production\n${off}`, messageId: 'disabled', line: 1 }],
  fine: [
    { name: 'enabled in one', yaml: `# @env staging\n${on}# @env production\n${off}` },
    {
      name: 'an upstream rule disabled everywhere',
      yaml: `# @upstream\n${off}# @env staging\n- macro: m\n  condition: proc.name = x\n# @env production\n- macro: m\n  condition: proc.name = y\n`,
    },
    { name: 'bare files have no environments', yaml: off },
  ],
});
