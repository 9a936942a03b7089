import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultCatalog } from '../src/condition/catalog/index.js';
import {
  buildRuleIndex,
  catalogFieldTypes,
  collectFieldConstants,
  completeEvent,
  createReplayAccumulator,
  evaluateEvent,
  evaluatePreparedEvent,
  outputFieldKeys,
  prepareEvent,
  planReplay,
  satisfyingEvent,
  seededRandom,
  valueKindOf,
  type EvaluableRule,
  type EventVerdicts,
  type FalcoEvent,
} from '../src/evaluate/index.js';
import { runCli } from '../src/cli/main.js';
import { loadRules } from '../src/rules/index.js';
import { LATEST_TRIO, readUpstreamFile } from './shared-inputs.js';
import { medianMs } from './timing.js';
import type { BenchResult } from './types.js';

const EVENTS = 1_000_000;
const ALERT_LINES = 1_000_000;

/**
 * Evaluation of the latest upstream trio's enabled rules on synthetic events (values drawn from
 * the rules' own constants, every field present), replay throughput, and the memory of a
 * 1,000,000-line replay.
 */
export async function benchEvaluate(): Promise<BenchResult[]> {
  const ruleset = loadRules(LATEST_TRIO.map(readUpstreamFile));
  const fieldTypes = catalogFieldTypes(defaultCatalog);
  const syscall = fieldTypes('syscall');
  const rules = ruleset.rules.filter((r) => r.source === 'syscall');
  const index = buildRuleIndex(rules, fieldTypes);
  const indexMs = medianMs(() => buildRuleIndex(rules, fieldTypes), 9, 2);
  const enabled = rules.filter((r) => r.enabled);
  const pool = collectFieldConstants(enabled.map((r) => r.ast));
  const kindOf = (key: string) => {
    const open = key.indexOf('[');
    const t = open < 0 ? syscall(key) : syscall(key.slice(0, open), key.slice(open + 1, -1));
    return valueKindOf(t?.type ?? 'CHARBUF');
  };
  const rand = seededRandom(7);
  const byType = index.bySourceAndType.get('syscall') ?? new Map<string, EvaluableRule[]>();
  const keysOf = (type: string) => [...new Set((byType.get(type) ?? []).flatMap((r) => r.condition.keys))];
  // Typical traffic: any indexed event type, field values mostly unrelated to the rules (10% are a rule constant).
  const types = [...byType.keys()];
  const typical: FalcoEvent[] = [];
  for (let i = 0; i < 4096; i++) {
    const type = types[Math.floor(rand() * types.length)];
    typical.push(completeEvent({ 'evt.type': type }, keysOf(type), pool, kindOf, rand, 0.1));
  }
  // Adversarial traffic: each event built to satisfy (or just miss) one rule, so conditions run deep.
  const events: FalcoEvent[] = [];
  for (let i = 0; i < 4096; i++) {
    const rule = enabled[i % enabled.length];
    const ev = satisfyingEvent(rule.ast, rand() < 0.5, syscall, rand);
    const type = typeof ev['evt.type'] === 'string' ? ev['evt.type'] : (rule.eventTypes?.[0] ?? 'execve');
    ev['evt.type'] = type;
    events.push(completeEvent(ev, keysOf(type), pool, kindOf, rand));
  }
  const typicalRows = typical.map((e) => prepareEvent(index, e));
  const deepRows = events.map((e) => prepareEvent(index, e));
  const rate = (run: (i: number) => EventVerdicts) => {
    for (let i = 0; i < 50_000; i++) run(i);
    // Five rounds, median rate: one round disturbed by the machine does not decide the figure.
    const ROUNDS = 5;
    const perRound = Math.floor(EVENTS / ROUNDS);
    let fired = 0;
    const cpuRates: number[] = [];
    const wallRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = r * perRound; i < (r + 1) * perRound; i++) fired += run(i).fired.length;
      const wall = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      cpuRates.push(perRound / ((used.user + used.system) / 1e6));
      wallRates.push(perRound / wall);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { cpu: median(cpuRates), wall: median(wallRates), fired };
  };
  const rows = rate((i) => evaluatePreparedEvent(index, typicalRows[i & 4095]));
  const records = rate((i) => evaluateEvent(index, typical[i & 4095]));
  const deep = rate((i) => evaluatePreparedEvent(index, deepRows[i & 4095]));

  // Replay: the trio raised the alerts; the candidate appends an exception to every enabled rule.
  const dir = mkdtempSync(join(tmpdir(), 'falco-gitops-bench-'));
  try {
    const overlay = enabled
      .map(
        (r) =>
          `- rule: ${JSON.stringify(r.name)}\n  exceptions:\n    - name: bench_known_process\n      fields: [proc.name]\n      comps: [=]\n      values: [[bench-agent]]\n  override:\n    exceptions: append\n`,
      )
      .join('');
    const candidate = loadRules([...LATEST_TRIO.map(readUpstreamFile), { path: 'bench-overlay.yaml', text: overlay }]);
    const plan = planReplay(ruleset.rules, candidate.rules, fieldTypes);
    const lines: string[] = [];
    for (let i = 0; i < 2048; i++) {
      const rule = enabled[i % enabled.length];
      const ev = events[i & 4095];
      const fields: Record<string, unknown> = {};
      for (const k of outputFieldKeys(rule.output)) fields[k] = ev[k] ?? (k === 'proc.name' && i % 3 === 0 ? 'bench-agent' : `v${i}`);
      lines.push(
        JSON.stringify({ rule: rule.name, priority: rule.priority, output: `${rule.name} ${i}`, output_fields: fields, time: '2026-01-01T00:00:00Z' }),
      );
    }
    const replayStart = performance.now();
    const acc = createReplayAccumulator(plan, { base: 'trio', candidate: 'trio + overlay' });
    for (let i = 0; i < 200_000; i++) acc.addLine(lines[i & 2047], i + 1);
    const replaySeconds = (performance.now() - replayStart) / 1000;
    const replayed = acc.report();

    const file = join(dir, 'alerts.jsonl');
    const chunk = `${lines.join('\n')}\n`;
    writeFileSync(file, '');
    const copies = Math.ceil(ALERT_LINES / lines.length);
    for (let i = 0; i < copies; i++) appendFileSync(file, chunk);
    writeFileSync(join(dir, 'bench-overlay.yaml'), overlay);
    const trioPaths = LATEST_TRIO.map((f) => join(dir, f.replace(/\//g, '_')));
    LATEST_TRIO.forEach((f, i) => writeFileSync(trioPaths[i], readUpstreamFile(f).text));
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    const cliStart = performance.now();
    await runCli(['replay', '--alerts', file, '--rules', ...trioPaths, join(dir, 'bench-overlay.yaml'), '--base-rules', ...trioPaths, '--format', 'json'], {
      cwd: dir,
      env: {},
      stdout: () => undefined,
      stderr: () => undefined,
      readStdin: async () => '',
      isTTY: false,
    });
    const cliSeconds = (performance.now() - cliStart) / 1000;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return [
      {
        name: 'evaluate: events per CPU-second, trio enabled rules, typical events (rows)',
        value: rows.cpu,
        unit: 'events/s',
        target: '>= 1,000,000',
        note: `${enabled.length} rules; wall ${Math.round(rows.wall)}/s; ${rows.fired} fired`,
      },
      {
        name: 'evaluate: rule index build (compile, fold per event type)',
        value: indexMs,
        unit: 'ms',
        note: `${[...byType.values()].reduce((n, l) => n + l.length, 0)} rule x event-type entries over ${byType.size} types`,
      },
      {
        name: 'evaluate: events per CPU-second, typical events as records',
        value: records.cpu,
        unit: 'events/s',
        note: `wall ${Math.round(records.wall)}/s (includes laying each record out as a row)`,
      },
      {
        name: 'evaluate: events per CPU-second, rule-satisfying events (rows)',
        value: deep.cpu,
        unit: 'events/s',
        note: `wall ${Math.round(deep.wall)}/s; ${deep.fired} fired: conditions evaluated to the end`,
      },
      {
        name: 'replay: alerts/s, in memory (parse + evaluate)',
        value: 200_000 / replaySeconds,
        unit: 'alerts/s',
        note: `${replayed.totals.suppressed} suppressed, ${replayed.totals.fires} fire, ${replayed.totals.undecided} undecided`,
      },
      { name: `replay: alerts/s, CLI on a ${copies * lines.length}-line file`, value: (copies * lines.length) / cliSeconds, unit: 'alerts/s' },
      { name: `replay: heap peak above start, ${copies * lines.length}-line file`, value: (peak - before) / 1024 / 1024, unit: 'MiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
