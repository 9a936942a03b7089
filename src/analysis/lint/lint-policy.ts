import type { FindingSeverity } from '../../report/index.js';

/** A repository's lint policy (the `lint:` section of its configuration, per environment). */
export interface LintPolicy {
  /** Per-check severity, or "off". */
  severity?: Record<string, FindingSeverity | 'off'>;
  /** Checks whose findings fail the gate whatever their severity (errors always do). */
  fail?: string[];
  /** Maximum estimated cost of any one rule (see the cost check); exceeding it fails the gate. */
  costBudget?: number;
  /** Tag patterns (picomatch globs) each enabled rule must match, e.g. ["mitre_*", "team_*"]. */
  requiredTags?: string[];
  /** How many rules the cost table lists (default 10). */
  costTableSize?: number;
}
