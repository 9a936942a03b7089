export { FALSE, TRUE, UNKNOWN, notTruth, truthName, type Truth } from './truth.js';
export { fieldKey, parseFieldKey, type FalcoEvent, type FieldValue, type Scalar } from './event.js';
export { tableFieldTypes, valueKindOf, type FieldType, type FieldTypeResolver, type ValueKind } from './field-types.js';
export { compileCondition, compileRowCondition, type CompiledCondition, type CompileIssue, type Predicate, type RowPredicate } from './compile-condition.js';
export type { EventRow } from './operand.js';
export { explainCondition, type DecidingCheck, type Explanation } from './explain.js';
export {
  buildRuleIndex,
  candidateRules,
  evaluateEvent,
  evaluatePreparedEvent,
  evaluateRule,
  prepareEvent,
  type FieldLayout,
  DEFAULT_SOURCE,
  type EvaluableRule,
  type EventVerdicts,
  type RuleIndex,
  type SourceFieldTypes,
} from './rule-index.js';
export { parseAlertLine, type AlertParse, type FalcoAlert } from './alert.js';
export { impliedFacts, planReplay, replayAlert, type AlertReplay, type ReplayPlan, type ReplayVerdict, type RuleChange, type RuleReplayPlan } from './replay.js';
export {
  createReplayAccumulator,
  type ReplayAccumulator,
  type ReplayExample,
  type ReplayReport,
  type RuleReplaySummary,
} from './replay-report.js';
export { catalogFieldTypes } from './catalog-field-types.js';
export {
  parseRuleTestFile,
  runRuleTests,
  type ActualOutcome,
  type Expectation,
  type RuleTestCase,
  type RuleTestFailure,
  type RuleTestResult,
} from './rule-tests.js';
export {
  createSummaryAccumulator,
  sanitizeOutput,
  NOISE_FIELDS,
  type AlertSummary,
  type FieldGroup,
  type OutputGroup,
  type RuleSummary,
  type SummaryAccumulator,
  type SummaryOptions,
  type SummaryRuleset,
  type Suggestion,
} from './alert-summary.js';
export { collectFieldConstants, completeEvent, noiseValue, outputFieldKeys, satisfyingEvent, seededRandom } from './synthetic-events.js';
