import { describe, expect, it } from 'vitest';
import { runTasks, type QueuedTask } from '../../src/oci/index.js';

/** A task that logs when it starts and ends, and finishes when the test says so. */
function gated(name: string, key: string, events: string[]) {
  let open = (): void => undefined;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const task: QueuedTask<string> = {
    key,
    run: async (log) => {
      events.push(`start ${name}`);
      log(`${name}: started`);
      await gate;
      log(`${name}: done`);
      events.push(`end ${name}`);
      return name;
    },
  };
  return { task, open };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('runTasks', () => {
  it('never runs more than `concurrency` tasks, starts them in list order, and returns results in list order', async () => {
    const events: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((n) => gated(n, n, events));
    const lines: string[] = [];
    const all = runTasks(
      tasks.map((t) => t.task),
      2,
      (l) => lines.push(l),
    );
    await tick();
    expect(events).toEqual(['start a', 'start b']);
    tasks[1]!.open();
    await tick();
    expect(events).toEqual(['start a', 'start b', 'end b', 'start c']);
    tasks[3]!.open();
    tasks[4]!.open();
    tasks[2]!.open();
    await tick();
    await tick();
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d', 'start e']);
    expect(lines).toEqual(['a: started']);
    tasks[0]!.open();
    expect(await all).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(lines).toEqual(['a: started', 'a: done', 'b: started', 'b: done', 'c: started', 'c: done', 'd: started', 'd: done', 'e: started', 'e: done']);
  });

  it('runs tasks of one key one after another, in list order, letting other keys overtake', async () => {
    const events: string[] = [];
    const tasks = [gated('x1', 'x', events), gated('x2', 'x', events), gated('y1', 'y', events)];
    const all = runTasks(
      tasks.map((t) => t.task),
      4,
    );
    await tick();
    expect(events).toEqual(['start x1', 'start y1']);
    tasks[1]!.open();
    tasks[2]!.open();
    await tick();
    expect(events).toEqual(['start x1', 'start y1', 'end y1']);
    tasks[0]!.open();
    expect(await all).toEqual(['x1', 'x2', 'y1']);
    expect(events).toEqual(['start x1', 'start y1', 'end y1', 'end x1', 'start x2', 'end x2']);
  });

  it('with concurrency 1 runs strictly in list order', async () => {
    const order: string[] = [];
    const tasks: QueuedTask<number>[] = [3, 1, 2].map((ms, i) => ({
      key: String(i),
      run: async () => {
        order.push(`start ${i}`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`end ${i}`);
        return i;
      },
    }));
    expect(await runTasks(tasks, 1)).toEqual([0, 1, 2]);
    expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('a task that throws stops new starts and rejects once the running ones finished', async () => {
    const events: string[] = [];
    const slow = gated('slow', 'a', events);
    const never = gated('never', 'c', events);
    const bug: QueuedTask<string> = { key: 'b', run: async () => Promise.reject(new Error('bug')) };
    let settled = false;
    const all = runTasks([slow.task, bug, never.task], 2).finally(() => {
      settled = true;
    });
    all.catch(() => undefined);
    await tick();
    await tick();
    expect(settled).toBe(false);
    slow.open();
    await expect(all).rejects.toThrow('bug');
    expect(events).toEqual(['start slow', 'end slow']);
  });

  it('an empty list resolves to no results; a concurrency below 1 is a bug', async () => {
    expect(await runTasks([], 4)).toEqual([]);
    expect(() => runTasks([], 0)).toThrow(RangeError);
  });
});
