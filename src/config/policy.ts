import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { Diagnostic } from '../diagnostics/index.js';
import { closestName } from './closest-name.js';
import type { LintLevel, Policy, PolicyCheckRef } from './model.js';

/** A `policy:` section as the schema admits it (every key optional). */
export interface PolicyInput {
  lint?: {
    severity?: Record<string, LintLevel>;
    failOn?: string[];
    disable?: string[];
    requiredTags?: string[];
    costBudget?: number;
    costTableSize?: number;
  };
  warningsAsErrors?: boolean;
}

export function emptyPolicy(): Policy {
  return {
    lint: { severity: {}, failOn: [], disable: [], requiredTags: [], costBudget: null, costTableSize: null },
    warningsAsErrors: false,
  };
}

/**
 * The policy an environment runs with: each key it sets replaces the defaults' one, except
 * `severity`, which is merged check by check (an environment changes one check's level and keeps the rest).
 */
export function applyPolicy(base: Policy, input: PolicyInput | undefined): Policy {
  const lint = input?.lint;
  return {
    lint: {
      severity: { ...base.lint.severity, ...lint?.severity },
      failOn: lint?.failOn ?? base.lint.failOn,
      disable: lint?.disable ?? base.lint.disable,
      requiredTags: lint?.requiredTags ?? base.lint.requiredTags,
      costBudget: lint?.costBudget ?? base.lint.costBudget,
      costTableSize: lint?.costTableSize ?? base.lint.costTableSize,
    },
    warningsAsErrors: input?.warningsAsErrors ?? base.warningsAsErrors,
  };
}

/** Every check id written in the policy at `policyPath` of a config document, with its position. */
export function collectPolicyCheckRefs(file: string, doc: Document, lineCounter: LineCounter, policyPath: readonly string[]): PolicyCheckRef[] {
  const refs: PolicyCheckRef[] = [];
  const lint = doc.getIn([...policyPath, 'lint'], true);
  if (!isMap(lint)) return refs;
  const prefix = [...policyPath, 'lint'].join('.');
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const severity = lint.get('severity', true);
  if (isMap(severity)) {
    for (const pair of severity.items) {
      if (!isScalar(pair.key)) continue;
      const id = String(pair.key.value);
      refs.push({ id, key: `${prefix}.severity.${id}`, location: at(pair.key.range?.[0]) });
    }
  }
  for (const key of ['failOn', 'disable'] as const) {
    const seq = lint.get(key, true);
    if (!isSeq(seq)) continue;
    seq.items.forEach((item, i) => {
      if (isScalar(item)) refs.push({ id: String(item.value), key: `${prefix}.${key}.${i}`, location: at(item.range?.[0]) });
    });
  }
  return refs;
}

/**
 * A config error for each check id that is not one of `knownIds`, with the closest known id.
 * The ids are passed in: the configuration does not depend on the checks that read it.
 */
export function findUnknownCheckIds(refs: readonly PolicyCheckRef[], knownIds: readonly string[]): Diagnostic[] {
  const known = new Set(knownIds);
  return refs
    .filter((ref) => !known.has(ref.id))
    .map((ref) => {
      const suggestion = closestName(ref.id, knownIds);
      const where = ref.key.slice(0, ref.key.lastIndexOf('.'));
      const hint = suggestion ? `did you mean '${suggestion}'?` : `known checks: ${[...knownIds].sort().join(', ')}`;
      return {
        code: 'CONFIG_ERROR',
        severity: 'error',
        itemType: 'config',
        itemName: ref.key,
        message: `unknown lint check '${ref.id}' in '${where}' (${hint})`,
        location: ref.location,
      } satisfies Diagnostic;
    });
}
