/** Per environment, the effective difference between two revisions (computed by `diffEnvironments` in src/environment). */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { Bump, RulesetDiff } from './ruleset-diff.js';

export interface EnvironmentDiff {
  environment: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  diff: RulesetDiff;
  bump: Bump;
  /** The version the head configuration declares (base's for a removed environment). */
  currentVersion: string | null;
  /** The version the bump suggests from currentVersion. */
  suggestedVersion: string | null;
  /** Whether Falco would load each side. */
  baseLoads: boolean;
  headLoads: boolean;
  /** The head's errors: layers that do not resolve, and rules Falco would refuse. */
  diagnostics: Diagnostic[];
}

export interface DiffEnvironmentsResult {
  environments: EnvironmentDiff[];
  /** Configuration problems on either side. */
  diagnostics: Diagnostic[];
}
