/**
 * How often each falcoctl follower should poll, so a whole fleet stays under a registry's rate limit.
 *
 * Every follower (one per node: the chart runs falcoctl as a DaemonSet sidecar) makes about
 * REQUESTS_PER_CHECK requests per check (token, manifest HEAD). falcoctl ≥ 0.12 defaults to 168h
 * because GHCR answered 429 to fleets polling every few minutes; we suggest the shortest whole-hour
 * interval that keeps the fleet under the hourly budget, never below one hour nor above 168h.
 */
export const REQUESTS_PER_CHECK = 2;
export const DEFAULT_HOURLY_BUDGET = 1000;
export const MIN_INTERVAL_HOURS = 1;
export const MAX_INTERVAL_HOURS = 168;

export interface FollowInterval {
  /** A Go duration as falcoctl reads it, e.g. "6h". */
  every: string;
  hours: number;
  /** One sentence on how the figure was reached. */
  reason: string;
}

export function suggestFollowInterval(followers: number, hourlyBudget = DEFAULT_HOURLY_BUDGET): FollowInterval {
  const perHour = followers * REQUESTS_PER_CHECK;
  const needed = Math.ceil(perHour / hourlyBudget);
  const hours = Math.min(MAX_INTERVAL_HOURS, Math.max(MIN_INTERVAL_HOURS, needed));
  const capped = needed > MAX_INTERVAL_HOURS ? ` (capped at falcoctl's default ${MAX_INTERVAL_HOURS}h; use a pull-through mirror per region)` : '';
  const reason =
    `${followers} followers × ${REQUESTS_PER_CHECK} requests per check = ${perHour} requests per poll round; ` +
    `polling every ${hours}h keeps the fleet at ≤ ${Math.ceil(perHour / hours)} requests/hour against a budget of ${hourlyBudget}${capped}`;
  return { every: `${hours}h`, hours, reason };
}
