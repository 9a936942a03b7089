/**
 * Extension points upstream leaves for deployments: `user_*` macros and lists, macros first
 * defined as a placeholder (`(never_true)`, `(always_true)`, as upstream documents for
 * allowed_ssh_hosts), and lists first defined empty.
 */
import type { RulesFile } from '../../rules/index.js';

const PLACEHOLDER = /^\s*\(?\s*(never_true|always_true)\s*\)?\s*$/;

/** Names (`macro\0name`, `list\0name`) of hooks, judged by each item's first definition. */
export function hookNames(files: readonly RulesFile[]): Set<string> {
  const first = new Set<string>();
  const hooks = new Set<string>();
  for (const file of files) {
    for (const item of file.items) {
      if (item.kind !== 'macro' && item.kind !== 'list') continue;
      const key = `${item.kind}\u0000${item.name}`;
      if (first.has(key)) continue;
      first.add(key);
      const placeholder = item.kind === 'macro' ? PLACEHOLDER.test(item.condition) : item.items.length === 0;
      if (placeholder || item.name.startsWith('user_')) hooks.add(key);
    }
  }
  return hooks;
}
