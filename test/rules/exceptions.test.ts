import { describe, expect, it } from 'vitest';
import { buildExceptionsCondition } from '../../src/rules/exceptions-condition.js';
import type { ExceptionDef } from '../../src/rules/model.js';

const loc = { file: 'r.yaml', line: 1, column: 1 };
const ex = (e: Omit<ExceptionDef, 'loc'>): ExceptionDef => ({ ...e, loc });

describe('exceptions compiled into the condition (§2.6)', () => {
  it('the semantics doc example, text exact', () => {
    expect(
      buildExceptionsCondition('evt.type = open', [
        ex({ name: 'a', fields: 'proc.name', comps: 'in', values: ['cat', 'my tool'] }),
        ex({ name: 'b', fields: ['proc.name', 'fd.name'], comps: ['=', 'startswith'], values: [['vim', '/etc/'], [['nano', 'ed'], '/tmp/']] }),
      ]),
    ).toEqual({
      text: '(evt.type = open) and not (proc.name in (cat, "my tool")) and not (( proc.name = vim and  fd.name startswith /etc/) or ( proc.name = (nano, ed) and  fd.name startswith /tmp/))',
      exceptionFields: ['fd.name', 'proc.name'],
    });
  });

  it('no exceptions leaves the condition unwrapped', () => {
    expect(buildExceptionsCondition('a = b', [])).toEqual({ text: 'a = b', exceptionFields: [] });
  });

  it('an exception with no values adds nothing and its fields are not collected', () => {
    expect(
      buildExceptionsCondition('c', [ex({ name: 'a', fields: 'proc.name', comps: 'in', values: [] }), ex({ name: 'b', fields: ['fd.name'], comps: ['='] })]),
    ).toEqual({ text: '(c)', exceptionFields: [] });
  });

  it('list operators take the raw value in parentheses unless it has them; others are quoted', () => {
    const r = buildExceptionsCondition('c', [
      ex({ name: 'a', fields: ['proc.name', 'fd.name', 'proc.cmdline', 'fd.directory'], comps: ['in', 'startswith oneof', 'contains', 'pmatch'], values: [['bash sh', '(a, b)', 'x y', '/tmp']] }),
    ]);
    expect(r).toEqual({
      text: '(c) and not (( proc.name in (bash sh) and  fd.name startswith oneof (a, b) and  proc.cmdline contains "x y" and  fd.directory pmatch (/tmp)))',
      exceptionFields: ['fd.directory', 'fd.name', 'proc.cmdline', 'proc.name'],
    });
  });

  it('q() quotes only values with a space that do not start with a quote, and never escapes', () => {
    const r = buildExceptionsCondition('c', [ex({ name: 'a', fields: 'f', comps: 'in', values: ['a"b c', '"x y"', "'p q'", 'tab\tsep', 'x,y'] })]);
    expect(r).toEqual({ text: `(c) and not (f in ("a"b c", "x y", 'p q', tab\tsep, x,y))`, exceptionFields: ['f'] });
  });

  it('an empty first item in a tuple list drops the comma after it, as Falco builds it', () => {
    expect(buildExceptionsCondition('c', [ex({ name: 'a', fields: ['f'], comps: ['in'], values: [[['', 'x']]] })])).toEqual({
      text: '(c) and not (( f in (x)))',
      exceptionFields: ['f'],
    });
  });

  it.each([
    ['a nested value in single form', ex({ name: 'a', fields: 'f', comps: 'in', values: [['x']] }), 'Expected values array to contain a list of strings'],
    ['a tuple of the wrong length', ex({ name: 'a', fields: ['f', 'g'], comps: ['=', '='], values: [['x']] }), 'Fields and values lists must have equal length'],
    ['a scalar tuple', ex({ name: 'a', fields: ['f'], comps: ['='], values: ['x'] }), 'Fields and values lists must have equal length'],
    ['list fields without comps (replaced, never defaulted)', ex({ name: 'a', fields: ['f'], values: [['x']] }), 'Fields and comps lists must have equal length'],
  ])('%s is an error', (_, exception, error) => {
    const first = ex({ name: 'fine', fields: 'f', comps: 'in', values: ['x'] });
    // the failing exception is named, not the rule's first one (Falco throws with the exception's own context)
    expect(buildExceptionsCondition('c', [first, exception])).toEqual({ error, at: exception });
  });

  it('a replaced single-form exception without comps compiles to the unparsable text Falco builds', () => {
    expect(buildExceptionsCondition('c', [ex({ name: 'a', fields: 'f', values: ['x'] })])).toEqual({ text: '(c) and not (f  (x))', exceptionFields: ['f'] });
  });
});
