export { FALSE, TRUE, UNKNOWN, type Truth } from './truth.js';
export { type FalcoEvent, type FieldValue } from './event.js';
export { tableFieldTypes, valueKindOf } from './field-types.js';
export { compileCondition, compileRowCondition } from './compile-condition.js';
export type { EventRow } from './operand.js';
export { explainCondition } from './deciding-checks.js';
export {
  buildRuleIndex,
  candidateRules,
  evaluateEvent,
  evaluatePreparedEvent,
  prepareEvent,
  type EvaluableRule,
  type EventVerdicts,
} from './rules-by-event-type.js';
export { parseAlertLine, type FalcoAlert } from './alert.js';
export { planReplay, replayAlert } from './replay.js';
export { createReplayAccumulator, type ReplayReport } from './replay-report.js';
export { catalogFieldTypes, defaultFieldTypes } from './catalog-field-types.js';
export { parseRuleTestFile, runRuleTests, type Expectation, type RuleTestCase, type RuleTestResult } from './rule-tests.js';
export { createSummaryAccumulator, sanitizeOutput, type AlertSummary, type SummaryRuleset } from './alert-summary.js';
export { collectFieldConstants, completeEvent, outputFieldKeys, satisfyingEvent, seededRandom } from './synthetic-events.js';
