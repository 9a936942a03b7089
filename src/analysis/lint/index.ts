import type { Check } from './define-check.js';
import { appendPrecedence } from './checks/append-precedence.js';
import { cost } from './checks/cost.js';
import { deprecatedSyntax } from './checks/deprecated-syntax.js';
import { disabledEverywhere } from './checks/disabled-everywhere.js';
import { duplicateListItem } from './checks/duplicate-list-item.js';
import { emptyList } from './checks/empty-list.js';
import { evttypeNotFirst } from './checks/evttype-not-first.js';
import { heavyCheckEarly } from './checks/heavy-check-early.js';
import { ignoredExceptionKey } from './checks/ignored-exception-key.js';
import { ignoredPluginRequirementKey } from './checks/ignored-plugin-requirement-key.js';
import { noEvttype } from './checks/no-evttype.js';
import { orChainToIn } from './checks/or-chain-to-in.js';
import { overwriteUpstream } from './checks/overwrite-upstream.js';
import { preferStartswith } from './checks/prefer-startswith.js';
import { priorityForNewRule } from './checks/priority-for-new-rule.js';
import { procNameTooLong } from './checks/proc-name-too-long.js';
import { requiredTags } from './checks/required-tags.js';
import { unknownListName } from './checks/unknown-list-name.js';
import { unquotedItemWithSpace } from './checks/unquoted-item-with-space.js';
import { unusedList } from './checks/unused-list.js';
import { unusedMacro } from './checks/unused-macro.js';
import { useExceptions } from './checks/use-exceptions.js';
import { useUserHook } from './checks/use-user-hook.js';

/** Every check, sorted by id. */
export const CHECKS: readonly Check[] = [
  appendPrecedence,
  cost,
  deprecatedSyntax,
  disabledEverywhere,
  duplicateListItem,
  emptyList,
  evttypeNotFirst,
  heavyCheckEarly,
  ignoredExceptionKey,
  ignoredPluginRequirementKey,
  noEvttype,
  orChainToIn,
  overwriteUpstream,
  preferStartswith,
  priorityForNewRule,
  procNameTooLong,
  requiredTags,
  unknownListName,
  unquotedItemWithSpace,
  unusedList,
  unusedMacro,
  useExceptions,
  useUserHook,
];

export { type Check, type LintEnvironment } from './define-check.js';
export type { LintPolicy } from './lint-policy.js';
export { runLint } from './run-lint.js';
export { lintReport } from './lint-report.js';
export { estimateCost, ruleCost } from './cost-model.js';
