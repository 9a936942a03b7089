export interface QueuedTask<R> {
  /** Tasks with the same key run one at a time, in list order (e.g. one repository's publishes). */
  key: string;
  run: (log: (line: string) => void) => Promise<R>;
}

/**
 * Runs tasks at most `concurrency` at a time and one at a time per key, starting them in list order
 * (a task whose key is busy lets later ones go first). Results come back in list order, and so do
 * log lines: the earliest unfinished task logs live, later tasks' lines wait for it. A task that
 * throws (a bug: expected failures are values) stops new starts; the first error is rethrown once
 * the running tasks finished. Written here because p-limit and its kin neither serialise per key
 * nor keep output in order.
 */
export function runTasks<R>(tasks: readonly QueuedTask<R>[], concurrency: number, onLine: (line: string) => void = () => undefined): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  const results: R[] = [];
  const buffered: string[][] = tasks.map(() => []);
  const started = tasks.map(() => false);
  const finished = tasks.map(() => false);
  const busy = new Set<string>();
  let live = 0;
  let running = 0;
  let failure: { error: unknown } | null = null;

  return new Promise<R[]>((resolve, reject) => {
    const log = (i: number) => (line: string) => {
      if (i === live) onLine(line);
      else buffered[i].push(line);
    };
    const advance = () => {
      while (live < tasks.length && finished[live]) {
        live++;
        if (live < tasks.length) for (const line of buffered[live].splice(0)) onLine(line);
      }
    };
    const settle = () => {
      if (running > 0) return;
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the task's own reason, passed on unchanged
      if (failure) reject(failure.error);
      else if (live === tasks.length) resolve(results);
    };
    const pump = () => {
      while (!failure && running < concurrency) {
        const i = tasks.findIndex((t, k) => !started[k] && !busy.has(t.key));
        if (i < 0) break;
        const task = tasks[i];
        started[i] = true;
        busy.add(task.key);
        running++;
        let promise: Promise<R>;
        try {
          promise = task.run(log(i));
        } catch (err) {
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the task's own reason, passed on unchanged
          promise = Promise.reject(err);
        }
        promise
          .then(
            (r) => {
              results[i] = r;
            },
            (err: unknown) => {
              failure ??= { error: err };
            },
          )
          .finally(() => {
            finished[i] = true;
            busy.delete(task.key);
            running--;
            advance();
            pump();
            settle();
          });
      }
    };
    pump();
    settle();
  });
}
