export type {
  AndExpr,
  BinaryCheck,
  BinaryOperator,
  Expr,
  FieldOperand,
  FieldRef,
  ListLiteral,
  ListOperator,
  Literal,
  MacroRef,
  NotExpr,
  NumericOperator,
  OperatorModifier,
  OrExpr,
  RightOperand,
  Span,
  StringOperator,
  Transformer,
  TransformerArg,
  TransformerList,
  TransformerName,
  UnaryCheck,
} from './ast.js';
export { parseCondition, DEFAULT_MAX_DEPTH, type ConditionSyntaxError, type ParseOptions, type ParseResult } from './parser.js';
export { printCanonical, escapeCanonical } from './print-canonical.js';
export { printSource } from './print-source.js';
export { collectFields, collectMacroRefs, forEachNode, mapExpr, withoutSpans, type ConditionNode, type WithoutSpans } from './walk.js';
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
  type ResolveOptions,
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
export { compileRegex, type RegexResult } from './regex.js';
