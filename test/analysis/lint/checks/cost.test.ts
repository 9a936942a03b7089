import { describe, expect, it } from 'vitest';
import { cost } from '../../../../src/analysis/lint/checks/cost.js';
import { estimateCost } from '../../../../src/analysis/lint/index.js';
import { parseCondition } from '../../../../src/condition/index.js';
import { checkTable, rule } from '../check-table.js';

const budget = '# @policy {"costBudget": 4}\n';

checkTable(cost, {
  flagged: [
    {
      name: 'regex and glob early',
      yaml: budget + rule('R', "evt.type = open and fd.name regex '.*key' and proc.cmdline glob '*secret*'"),
      messageId: 'budget',
      line: 3,
    },
  ],
  fine: [
    { name: 'cheap tests', yaml: budget + rule('R', 'evt.type = open and fd.name endswith .key') },
    { name: 'no budget configured', yaml: rule('R', "evt.type = open and fd.name regex '.*key'") },
  ],
});

describe('the cost model', () => {
  const costOf = (text: string) => {
    const parsed = parseCondition(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return estimateCost(parsed.expr);
  };

  it('weights operators and respects short-circuit order', () => {
    // 1 (evt.type, passes) + 8 (regex) + 0.5 * 4 (glob)
    expect(costOf("evt.type = open and fd.name regex '.*key' and proc.cmdline glob '*x*'").cost).toBe(11);
    // cheap first: 1 + 1 + 0.5 * 8
    expect(costOf("evt.type = open and proc.name = a and fd.name regex '.*key'").cost).toBe(6);
  });

  it('discounts later "or" operands by the chance the earlier ones were false', () => {
    expect(costOf('proc.name = a or proc.name = b or proc.name = c').cost).toBe(1.75);
    expect(costOf('proc.name = a or proc.name = b or proc.name = c').worst).toBe(3);
  });

  it('counts modifiers per value and transformers', () => {
    expect(costOf('proc.name startswith oneof (a, b, c)').cost).toBe(3);
    expect(costOf('tolower(proc.name) = a').cost).toBe(2);
  });
});
