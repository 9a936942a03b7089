import type { RuleExplanation } from './explain-rule.js';
import { formatLoc } from '../diagnostics/index.js';

/** Human form of an explanation. */
export function renderExplanation(e: RuleExplanation): string {
  const lines: string[] = [];
  lines.push(`rule: ${e.rule}`);
  lines.push(`environment: ${e.environment}`);
  lines.push(`enabled: ${e.enabled}  priority: ${e.priority}  source: ${e.source}`);
  lines.push(`event types: ${e.eventTypes === null ? 'all' : e.eventTypes.join(', ')}`);
  lines.push('', 'history (load order):');
  for (const c of e.history) lines.push(`  ${formatLoc(c.loc)}  ${c.action} ${c.field === '*' ? 'rule' : c.field}`);
  lines.push('', 'condition:', `  ${e.condition.trim()}`);
  lines.push('', 'compiled condition (macros and lists expanded, exceptions applied):', `  ${e.compiledCondition}`);
  if (e.exceptions.length > 0) {
    lines.push('', 'exceptions:');
    for (const x of e.exceptions) lines.push(`  ${x.name}: ${(x.values ?? []).length} value(s)`);
  }
  lines.push('', 'macros used:');
  if (e.macros.length === 0) lines.push('  (none)');
  for (const m of e.macros) lines.push(`  ${m.name}  last ${m.lastChange.action} at ${formatLoc(m.lastChange.loc)}`);
  lines.push('', 'lists used:');
  if (e.lists.length === 0) lines.push('  (none)');
  for (const l of e.lists) lines.push(`  ${l.name} [${l.items.join(', ')}]  last ${l.lastChange.action} at ${formatLoc(l.lastChange.loc)}`);
  lines.push('', 'other environments:');
  if (e.environments.length === 0) lines.push('  (none)');
  for (const o of e.environments)
    lines.push(`  ${o.environment}: ${o.differs.length === 0 ? 'same' : o.differs[0] === 'absent' ? 'rule not loaded' : `differs in ${o.differs.join(', ')}`}`);
  return `${lines.join('\n')}\n`;
}
