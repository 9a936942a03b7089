export { parseCondition, type ParseResult } from './parser.js';
export { printCanonical } from './print-canonical.js';
export * from './catalog/index.js';
export {
  countEventCodes,
  eventTypeNames,
  hasEventCode,
  isUnrestricted,
  namesToEventCodes,
  needsNoEvttypeWarning,
  needsNoEvttypeWarningReleased,
  resolveEventCodes,
  validateEventTypeName,
  type EventCodeSet,
} from './event-types.js';
export {
  conditionFields,
  deprecatedFieldsInOutput,
  deprecatedFieldsUsed,
  unsafeNaChecks,
  validateFilter,
  validateOutputFields,
} from './validate-filter.js';
export type { FilterError } from './field-operands.js';
export { compilerHints, type CompilerHint } from './compiler-hints.js';
