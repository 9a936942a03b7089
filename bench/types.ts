/** One figure a benchmark prints. Ratios compare two timings taken in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, for ratios, e.g. "<= 1.5x". */
  target?: string;
  note?: string;
}
