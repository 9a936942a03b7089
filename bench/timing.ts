import { performance } from 'node:perf_hooks';

/**
 * Median wall time of `fn` over `runs` runs after `warmup` runs, in milliseconds.
 * Medians keep one slow run (GC, the other core busy) from deciding a ratio.
 */
export function medianMs(fn: () => unknown, runs = 15, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Median wall times of `a` and `b` measured in alternation (a, b, a, b, …), each after a full
 * collection when `--expose-gc` is on: drifting machine load and garbage left by one side then
 * weigh on both alike, so their ratio is steadier than two separate medians.
 */
export function interleavedMedianMs(a: () => unknown, b: () => unknown, runs = 21, warmup = 3): [number, number] {
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, times] of [
      [a, ta],
      [b, tb],
    ] as const) {
      collect();
      const start = performance.now();
      fn();
      times.push(performance.now() - start);
    }
  }
  const median = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)];
  return [median(ta), median(tb)];
}
