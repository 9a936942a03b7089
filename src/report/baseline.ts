/**
 * New, unchanged and fixed problems of a pull request: each head problem is matched against the
 * base's by id (check or code), item and message, never by line, so a moved item stays unchanged.
 */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { Finding, FixedProblem } from './model.js';

type Problem = Finding | Diagnostic;

export interface BaselineResult<T extends Problem> {
  /** The head's problems, each with its `baseline` mark. */
  marked: T[];
  fixed: FixedProblem[];
}

export function compareWithBase<T extends Problem>(head: readonly T[], base: readonly T[], inChange: (loc: Loc) => boolean): BaselineResult<T> {
  const remaining = new Map<string, T[]>();
  for (const b of base) {
    const key = problemKey(b);
    remaining.set(key, [...(remaining.get(key) ?? []), b]);
  }
  const marked = head.map((h): T => {
    const twins = remaining.get(problemKey(h));
    const state = twins !== undefined && twins.length > 0 ? 'unchanged' : 'new';
    twins?.shift();
    return { ...h, baseline: { state, inChange: inChange(h.location) } };
  });
  const fixed = [...remaining.values()].flat().map((b): FixedProblem => ({
    id: problemId(b),
    severity: b.severity,
    message: b.message,
    itemType: b.itemType,
    itemName: b.itemName,
    location: b.location,
  }));
  return { marked, fixed };
}

function problemId(p: Problem): string {
  return 'checkId' in p ? p.checkId : p.code;
}

/** Places inside a message (`file.yaml:12:3`) are left out of the match: they move with the lines. */
function problemKey(p: Problem): string {
  return JSON.stringify([problemId(p), p.itemType, p.itemName, p.message.replace(/:\d+(?::\d+)?\b/g, ':#')]);
}
