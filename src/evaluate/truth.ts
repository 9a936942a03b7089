/**
 * Three-valued (Kleene) truth: a condition over an event is true, false, or unknown when it
 * depends on a field the event does not carry. Small integers keep the hot path cheap.
 */
export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Truth = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export function notTruth(t: Truth): Truth {
  return t === UNKNOWN ? UNKNOWN : t === TRUE ? FALSE : TRUE;
}

export function truthName(t: Truth): 'true' | 'false' | 'unknown' {
  return t === TRUE ? 'true' : t === FALSE ? 'false' : 'unknown';
}
