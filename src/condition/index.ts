export type {
  BinaryCheck,
  Expr,
  FieldRef,
  ListLiteral,
  Literal,
  NumericOperator,
  RightOperand,
  Span,
  StringOperator,
  Transformer,
  TransformerArg,
  TransformerName,
} from './ast.js';
export { parseCondition, type ParseResult } from './parser.js';
export { movedSpan, reparseListChange, type Reparsed } from './reparse-list.js';
export { reparseChange } from './reparse.js';
export { printCanonical } from './print-canonical.js';
export { printSource } from './print-source.js';
export { collapseWhitespace, flattenGroups, sameCondition } from './same-condition.js';
export { collectFields, collectMacroRefs, mapExpr, withoutSpans } from './walk.js';
export * from './catalog/index.js';
export {
  countEventCodes,
  eventTypeNames,
  isUnrestricted,
  needsNoEvttypeWarning,
  needsNoEvttypeWarningReleased,
  resolveEventCodes,
  validateEventTypeName,
  type EventCodeMemo,
} from './event-types.js';
export { deprecatedFieldsInOutput, deprecatedFieldsUsed, unsafeNaChecks, validateFilter, validateOutputFields } from './validate-filter.js';
export { compilerHints } from './compiler-hints.js';
export { compileRegex } from './regex.js';
