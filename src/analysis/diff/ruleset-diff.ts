/** The effective difference between two compiled rulesets, one change per fact. */
import type { WordPart } from '../../report/index.js';
import type { Priority } from '../../rules/index.js';

export type DiffChange =
  | { kind: 'rule-added'; rule: string }
  | { kind: 'rule-removed'; rule: string }
  | { kind: 'rule-enabled'; rule: string }
  | { kind: 'rule-disabled'; rule: string }
  | { kind: 'rule-source-changed'; rule: string; before: string; after: string }
  | { kind: 'rule-condition-changed'; rule: string; before: string; after: string; words: WordPart[] }
  /** Event types gained and lost; `'*'` stands for "every event type" (an unrestricted rule). */
  | { kind: 'rule-events-changed'; rule: string; gained: string[]; lost: string[] }
  | { kind: 'rule-priority-changed'; rule: string; before: Priority; after: Priority }
  | { kind: 'rule-tags-changed'; rule: string; added: string[]; removed: string[] }
  | { kind: 'rule-output-changed'; rule: string; before: string; after: string; fieldsAdded: string[]; fieldsRemoved: string[]; words: WordPart[] }
  | { kind: 'rule-exceptions-changed'; rule: string; added: string[]; removed: string[]; changed: string[] }
  | { kind: 'rule-description-changed'; rule: string }
  | { kind: 'macro-added'; macro: string }
  | { kind: 'macro-removed'; macro: string }
  | { kind: 'macro-changed'; macro: string; before: string; after: string; words: WordPart[] }
  /** The event types a macro's condition can match changed (`'*'`: every event type). */
  | { kind: 'macro-events-changed'; macro: string; gained: string[]; lost: string[] }
  | { kind: 'list-added'; list: string }
  | { kind: 'list-removed'; list: string }
  /** `words` (here and for conditions and outputs): the value word by word, or item by item. */
  | { kind: 'list-items-changed'; list: string; added: string[]; removed: string[]; words: WordPart[] }
  | { kind: 'engine-version-changed'; before: string | null; after: string | null }
  | { kind: 'plugin-requirement-added'; plugin: string }
  | { kind: 'plugin-requirement-removed'; plugin: string }
  | { kind: 'plugin-alternative-added'; plugin: string }
  | { kind: 'plugin-alternative-removed'; plugin: string }
  | { kind: 'plugin-version-incremented'; plugin: string; before: string; after: string }
  | { kind: 'plugin-version-decremented'; plugin: string; before: string; after: string };

export interface RulesetDiff {
  /** Changes in a stable order: by kind group, then name. */
  changes: DiffChange[];
}

export type Bump = 'major' | 'minor' | 'patch' | 'none';
