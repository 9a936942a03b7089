import { duplicateListItem } from '../../../../src/analysis/lint/checks/duplicate-list-item.js';
import { checkTable, rule } from '../check-table.js';

const use = rule('R', 'evt.type = execve and proc.name in (l)');

checkTable(duplicateListItem, {
  flagged: [
    { name: 'repeated within one item', yaml: '- list: l\n  items:\n    - a\n    - b\n    - a\n' + use, messageId: 'duplicate', line: 5 },
    {
      name: 'appended although already there',
      yaml: '- list: l\n  items: [a, b]\n- list: l\n  items:\n    - b\n  override:\n    items: append\n' + use,
      messageId: 'duplicate',
      line: 5,
    },
  ],
  fine: [
    { name: 'distinct items', yaml: '- list: l\n  items: [a, b]\n' + use },
    { name: 'a redefinition starts afresh', yaml: '- list: l\n  items: [a, b]\n- list: l\n  items: [a]\n' + use },
  ],
});
