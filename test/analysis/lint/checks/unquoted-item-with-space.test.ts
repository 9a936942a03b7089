import { unquotedItemWithSpace } from '../../../../src/analysis/lint/checks/unquoted-item-with-space.js';
import { checkTable, rule } from '../check-table.js';

const use = rule('R', 'evt.type = execve and proc.name in (l)');

checkTable(unquotedItemWithSpace, {
  flagged: [
    { name: 'a missing comma', yaml: '- list: l\n  items: [bash sh, zsh]\n' + use, messageId: 'space', line: 2 },
    { name: 'a block item', yaml: '- list: l\n  items:\n    - zsh\n    - java -jar\n' + use, messageId: 'space', line: 4 },
  ],
  fine: [
    { name: 'separate items', yaml: '- list: l\n  items: [bash, sh, zsh]\n' + use },
    { name: 'quotes written into the item', yaml: '- list: l\n  items: [\'"java -jar"\']\n' + use },
  ],
});
