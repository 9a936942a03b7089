import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  countEventCodes,
  createCatalog,
  defaultCatalog,
  eventTypeNames,
  isUnrestricted,
  needsNoEvttypeWarning,
  needsNoEvttypeWarningReleased,
  parseCondition,
  resolveEventCodes,
  validateEventTypeName,
  validateFilter,
} from '../../src/condition/index.js';
import type { Expr } from '../../src/condition/ast.js';
import { FALCO_GOLDEN, SHARED_DATA, missingData, missingGolden } from '../helpers/shared.js';

function parse(text: string): Expr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.expr;
}

const count = (text: string, catalog = defaultCatalog) => countEventCodes(resolveEventCodes(parse(text), catalog));
const noPlugins = createCatalog({ plugins: [] });

describe.skipIf(missingData())('event codes of evt.type checks (falco-event-table.json examples)', () => {
  const table = missingData()
    ? { examples: {} }
    : (JSON.parse(readFileSync(join(SHARED_DATA, 'falco-event-table.json'), 'utf8')) as { examples: Record<string, number> });
  for (const [example, expected] of Object.entries(table.examples)) {
    it(`${example} -> ${expected}`, () => {
      const condition = example.replace(/ \((?:no plugin|container plugin loaded|no own event|[^()]*generic-only syscalls)\)$/, '');
      const catalog = example.includes('(container plugin loaded)') ? defaultCatalog : noPlugins;
      expect(count(condition, catalog)).toBe(expected);
    });
  }
});

describe('traps from data/README.md', () => {
  it.each([
    ['evt.type = syscall', 0],
    ['evt.type = unknown', 2],
    ['evt.type = NA', 35],
    ['evt.type = sched_process_exit', 2],
    ['evt.type = procexit', 2],
    ['evt.type = pread64', 2],
    ['evt.type = pread', 2],
    ['evt.type in (pread64, syncfs, signal_deliver)', 2],
    ['evt.type = keyctl', 1],
    ['evt.type = close_range', 1],
    ['evt.type = container', 4],
    ['evt.type = container_removed', 1],
    ['evt.type in (container, container_removed)', 4],
  ])('%s -> %i codes', (condition, expected) => {
    expect(count(condition)).toBe(expected);
  });

  it('without the container plugin, container_removed selects nothing and is an unknown event type', () => {
    expect(count('evt.type = container_removed', noPlugins)).toBe(0);
    expect(validateEventTypeName('container_removed', noPlugins)).toBe('unknown event type container_removed');
    expect(validateEventTypeName('container_removed', defaultCatalog)).toBeNull();
  });

  it('accepts table names and syscall names, rejects others', () => {
    expect(['syscall', 'NA', 'unknown', 'pread64', 'procexit'].map((n) => validateEventTypeName(n, defaultCatalog))).toEqual([null, null, null, null, null]);
    expect(validateEventTypeName('opn', defaultCatalog)).toBe('unknown event type opn');
  });
});

describe('combination, negation and neutral leaves (§7)', () => {
  it.each([
    ['evt.type = open and proc.name = cat', 2],
    ['evt.type = open or proc.name = cat', 454],
    ['not evt.type = open', 452],
    ['evt.type != open', 452],
    ['not evt.type != open', 2],
    ['evt.type = open and evt.type = close', 0],
    ['not proc.name = x', 454],
    ['not (evt.type = open and proc.name = x)', 454],
    ['not (evt.type = open or evt.type = close)', 450],
    ['evt.type exists', 454],
    ['not evt.type exists', 0],
    ['evt.type startswith open', 454],
    ['not evt.type startswith open', 454],
    ['tolower(evt.type) = open', 454],
    ['evt.type in (open, openat) and not evt.type = open', 4],
    ['evt.num = 0', 0],
    ['evt.num in ()', 0],
    ['evt.num in (0, 0)', 0],
    ['evt.num < 1', 0],
    ['not evt.num = 0', 454],
    ['evt.num != 0', 454],
    ['not evt.num > 0', 0],
    ['evt.num = 1', 454],
    ['not evt.num = 1', 454],
    ['evt.type = open and not evt.num = 0', 2],
    ['syscall.type = open', 2],
  ])('%s -> %i codes', (condition, expected) => {
    expect(count(condition)).toBe(expected);
  });

  it('LOAD_NO_EVTTYPE: more than 100 codes at HEAD; releases also warned on the empty set', () => {
    const empty = resolveEventCodes(parse('evt.num = 0'), defaultCatalog);
    const all = resolveEventCodes(parse('proc.name = x'), defaultCatalog);
    const open = resolveEventCodes(parse('evt.type = open'), defaultCatalog);
    expect([needsNoEvttypeWarning(empty), needsNoEvttypeWarning(all), needsNoEvttypeWarning(open)]).toEqual([false, true, false]);
    expect([needsNoEvttypeWarningReleased(empty), needsNoEvttypeWarningReleased(all)]).toEqual([true, true]);
    expect([isUnrestricted(all), isUnrestricted(open)]).toEqual([true, false]);
  });

  it('lists generic syscall names for the generic codes', () => {
    const names = eventTypeNames(resolveEventCodes(parse('evt.type = syncfs'), defaultCatalog), defaultCatalog);
    expect(names).toContain('syncfs');
    expect(names).toContain('asyncevent');
    expect(names).not.toContain('pread64');
    expect(names).not.toContain('syscall');
    expect(eventTypeNames(resolveEventCodes(parse('evt.num = 0'), defaultCatalog), defaultCatalog)).toEqual(['asyncevent']);
  });
});

interface GoldenRule {
  name: string;
  source: string;
  compiledCondition: string;
  eventTypes: string[];
}

function goldenFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? goldenFiles(join(dir, e.name)) : e.name.endsWith('.json') && e.name !== 'index.json' ? [join(dir, e.name)] : [],
  );
}

describe.skipIf(missingGolden())('golden: Falco 0.44.1 event types and clean compilation of every rule', () => {
  // Falco's printed form is not always valid input (e.g. a list item "(systemd)"); those rules are skipped and counted.
  let checked = 0;
  let unparsable = 0;
  afterAll(() => {
    expect(checked).toBeGreaterThan(10 * unparsable);
  });
  for (const file of missingGolden() ? [] : goldenFiles(FALCO_GOLDEN)) {
    const golden = JSON.parse(readFileSync(file, 'utf8')) as { rules: GoldenRule[]; warnings: [string, string][] };
    it(file.slice(FALCO_GOLDEN.length + 1), () => {
      const noEvttype = new Set(golden.warnings.filter(([c]) => c === 'LOAD_NO_EVTTYPE').map(([, w]) => w));
      for (const rule of golden.rules) {
        const parsed = parseCondition(rule.compiledCondition);
        if (!parsed.ok) {
          unparsable++;
          continue;
        }
        checked++;
        const expr = parsed.expr;
        expect({ rule: rule.name, error: validateFilter(expr, rule.source, defaultCatalog) }).toEqual({ rule: rule.name, error: null });
        if (rule.source !== 'syscall') continue;
        // Falco 0.44.1 predates the [HEAD] evt.num invariants, so the golden comparison turns them off.
        const codes = resolveEventCodes(expr, defaultCatalog, { evtNumInvariants: false });
        expect({ rule: rule.name, names: eventTypeNames(codes, defaultCatalog) }).toEqual({ rule: rule.name, names: rule.eventTypes });
        // Falco 0.44.1 is a release: it warns on empty sets too; no golden rule has an empty set.
        expect({ rule: rule.name, warn: needsNoEvttypeWarningReleased(codes) }).toEqual({
          rule: rule.name,
          warn: noEvttype.has(`rule:${rule.name}`),
        });
      }
    });
  }
});
