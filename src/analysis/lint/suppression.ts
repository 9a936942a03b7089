/**
 * Inline suppression: `# falco-gitops-disable-next-item <check-id>: <reason>` in the comment
 * directly above an item. The reason is required; a directive without one suppresses nothing.
 */
import type { Loc } from '../../diagnostics/index.js';
import type { RulesFile } from '../../rules/index.js';
import type { ItemRef } from './define-check.js';

const DIRECTIVE = /falco-gitops-disable-next-item\s+([\w-]+)\s*(?::\s*(.*\S))?\s*$/;

export interface Suppression {
  itemType: ItemRef['itemType'];
  itemName: string;
  checkId: string;
  /** Empty when the directive gave none (then it does not apply). */
  reason: string;
  location: Loc;
}

export function collectSuppressions(files: readonly RulesFile[]): Suppression[] {
  const out: Suppression[] = [];
  for (const file of files) {
    for (const item of file.items) {
      if (!item.commentBefore?.includes('falco-gitops-disable-next-item') || item.kind === 'required_engine_version') continue;
      // a required_plugin_versions item is about each plugin it names
      const names = item.kind === 'required_plugin_versions' ? item.plugins.map((p) => p.name) : [item.name];
      for (const line of item.commentBefore.split('\n')) {
        const m = DIRECTIVE.exec(line);
        if (!m) continue;
        for (const itemName of names) out.push({ itemType: item.kind, itemName, checkId: m[1], reason: m[2] ?? '', location: item.loc });
      }
    }
  }
  return out;
}

export function suppressionKey(itemType: string, itemName: string, checkId: string): string {
  return `${itemType}\u0000${itemName}\u0000${checkId}`;
}
