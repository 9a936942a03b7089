import { requiredTags } from '../../../../src/analysis/lint/checks/required-tags.js';
import { checkTable, rule } from '../check-table.js';

const policy = '# @policy {"requiredTags": ["mitre_*", "team_*"]}\n';

checkTable(requiredTags, {
  flagged: [
    { name: 'no team tag', yaml: policy + rule('R', 'evt.type = execve', '  tags: [mitre_execution]\n'), messageId: 'missing', line: 1 },
    { name: 'no tags at all', yaml: policy + rule('R', 'evt.type = execve'), messageId: 'missing', line: 1, count: 2 },
  ],
  fine: [
    { name: 'both patterns matched', yaml: policy + rule('R', 'evt.type = execve', '  tags: [mitre_execution, team_platform]\n') },
    { name: 'disabled rules are not routed', yaml: policy + rule('R', 'evt.type = execve', '  enabled: false\n') },
    { name: 'no policy, no requirement', yaml: rule('R', 'evt.type = execve') },
  ],
});
