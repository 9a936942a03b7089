import { describe, expect, it } from 'vitest';
import {
  defaultCatalog,
  deprecatedFieldsInOutput,
  deprecatedFieldsUsed,
  parseCondition,
  unsafeNaChecks,
  validateFilter,
  validateOutputFields,
} from '../../src/condition/index.js';
import type { Expr } from '../../src/condition/ast.js';

function parse(text: string): Expr {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.expr;
}

const message = (text: string, source = 'syscall') => validateFilter(parse(text), source, defaultCatalog)?.message ?? null;

describe('validateFilter: the first error of the filter compiler', () => {
  it.each([
    ['proc.name = bash and proc.pid > 1', null],
    ['proc.nme = bash', 'filter_check called with nonexistent field proc.nme'],
    ['proc.name = a and fd.nme = b and proc.nam = c', 'filter_check called with nonexistent field fd.nme'],
    ['evt.type = opn', 'unknown event type opn'],
    ['evt.type in (open, syscall, unknown, NA)', null],
    ['proc.pid contains 1', "filter error: 'contains' operator not supported for numeric filters"],
    ['evt.is_open_read startswith t', "filter error: 'startswith' operator not supported for numeric filters"],
    ['proc.pid = abc', 'abc is not a valid number'],
    ['proc.pid in (1, 2, x)', 'x is not a valid number'],
    ['fd.types contains file', "filter error: 'contains' operator not supported list filters"],
    ['fd.types intersects (file)', null],
    ['evt.buffer bcontains 2f6574', null],
    ['evt.buffer bcontains /etc', 'filter error: bcontains and bstartswith operator support hex strings only'],
    ['fd.ip contains 10', "filter error: 'contains' operator not supported for ip address and network filters"],
    ['len(proc.name) contains 1', "filter error: 'contains' operator not supported for numeric filters"],
    ['tolower(proc.pid) = 1', "field type 'INT64' is not supported by 'tolower' transformer"],
    ['tolower(proc.name)[1] = x', "filter error: transformer 'tolower' does not support field arguments"],
    ['proc.name = val(proc.nme)', 'filter_check called with nonexistent field proc.nme'],
    ['ka.verb = create', null],
  ])('%s -> %s', (condition, expected) => {
    const source = condition.startsWith('ka.') ? 'k8s_audit' : 'syscall';
    expect(message(condition, source)).toBe(expected);
  });

  it('points at the offending node', () => {
    const text = 'proc.name = a and fd.nme = b';
    expect(validateFilter(parse(text), 'syscall', defaultCatalog)?.span).toEqual({ start: 18, end: 24 });
  });
});

describe('condition warnings', () => {
  it('LOAD_UNSAFE_NA_CHECK: ka./jevt. fields compared with <NA>', () => {
    expect(unsafeNaChecks(parse('ka.user.name = <NA> or ka.verb in (a, <NA>) or proc.name = <NA> or ka.verb exists'))).toHaveLength(2);
    expect(unsafeNaChecks(parse('ka.user.name startswith <NA>'))).toEqual([]);
  });

  it('LOAD_DEPRECATED_ITEM: exact field names in conditions, once each', () => {
    expect(deprecatedFieldsUsed(parse('evt.dir = < and evt.dir = > and evt.latency.ns > 1 and evt.latency.quantized > 1'), defaultCatalog)).toEqual([
      { field: 'evt.dir', description: "event direction can be either '>' for enter events or '<' for exit events." },
      { field: 'evt.latency.ns', description: expect.any(String) },
    ]);
  });

  it('LOAD_DEPRECATED_ITEM in outputs is a substring search', () => {
    expect(deprecatedFieldsInOutput('took %evt.latency.ns ns (dir=%evt.dir)')).toEqual(['evt.dir', 'evt.latency', 'evt.latency.ns']);
    expect(deprecatedFieldsInOutput('%proc.name')).toEqual([]);
  });
});

describe('validateOutputFields', () => {
  it.each([
    ['user=%user.name command=%proc.cmdline %container.info', null],
    ['%proc.namex and %(proc.name) %proc.aname[2] 100%%', null],
    ['file=%fd.namex', null],
    ['file=%fd.nme', 'invalid formatting token fd.nme'],
    ['bad=%foo.bar', 'invalid formatting token foo.bar'],
    ['bad=%(proc.namex)', 'invalid formatting token proc.namex'],
  ])('%s -> %s', (output, expected) => {
    expect(validateOutputFields(output, 'syscall', defaultCatalog)?.message ?? null).toBe(expected);
  });

  it('checks plugin-source outputs against that source', () => {
    expect(validateOutputFields('%ka.verb', 'k8s_audit', defaultCatalog)).toBeNull();
    expect(validateOutputFields('%proc.name', 'k8s_audit', defaultCatalog)).toEqual({ message: 'invalid formatting token proc.name' });
  });
});
