/**
 * Where diagnostics about a condition point: the offending token for a plain or single-quoted
 * one-line condition that reached the parser as written; the condition scalar (as before) whenever
 * the parsed text differs from the source (block, folded, double-quoted, exceptions, list substitution).
 */
import { describe, expect, it } from 'vitest';
import { formatLoc, type Diagnostic } from '../../src/diagnostics/index.js';
import { loadRules, readRulesFile } from '../../src/rules/index.js';

function firstError(...texts: string[]): Diagnostic {
  const r = loadRules(texts.map((text, i) => ({ path: `f${i + 1}.yaml`, text })));
  const d = r.diagnostics.find((x) => x.severity === 'error');
  if (!d) throw new Error(`no error in ${JSON.stringify(r.diagnostics)}`);
  return d;
}

const at = (d: Diagnostic) => [d.code, d.message, `${d.location.file}:${d.location.line}:${d.location.column}`];

/** A rule whose condition value is written as `value` (which may span lines), after `before`. */
const rule = (value: string, extra = '') => `- rule: R\n  desc: d\n  condition: ${value}\n  output: o\n  priority: INFO\n${extra}`;

const EXCEPTION = '  exceptions:\n    - name: e\n      fields: proc.name\n      values: [bash]\n';
const LISTS = '- list: shells\n  items: [bash, sh]\n';

describe('exact token positions in a plain one-line condition', () => {
  it('an unknown field points at the field', () => {
    // "  condition: " is 13 characters: the value starts at column 14.
    expect(at(firstError(rule('evt.type = open and proc.nme = bash')))).toEqual([
      'LOAD_ERR_COMPILE_CONDITION',
      "filter_check called with nonexistent field proc.nme",
      'f1.yaml:3:34',
    ]);
  });

  it('a parse error points at the unexpected token', () => {
    // The second `and` is read as a macro name; `proc.name` (offset 24) is the token the parser refuses.
    expect(at(firstError(rule('evt.type = open and and proc.name = x')))).toEqual([
      'LOAD_ERR_COMPILE_CONDITION',
      "unexpected token after 'and', expecting 'or', 'and'",
      'f1.yaml:3:38',
    ]);
  });

  it('an undefined macro points at its name', () => {
    expect(at(firstError(rule('evt.type = open and not_a_macro')))).toEqual([
      'LOAD_ERR_VALIDATE',
      "Undefined macro 'not_a_macro' used in filter.",
      'f1.yaml:3:34',
    ]);
  });

  it('an undefined macro inside a macro points at its name in the macro', () => {
    const d = firstError('- macro: m\n  condition: evt.type = open or other_macro\n' + rule('m'));
    expect(at(d)).toEqual(['LOAD_ERR_VALIDATE', "Undefined macro 'other_macro' used in filter.", 'f1.yaml:2:33']);
  });

  it('a parse error in a macro points at the unexpected token', () => {
    expect(at(firstError('- macro: m\n  condition: evt.type = open or or x\n' + rule('m')))).toEqual([
      'LOAD_ERR_COMPILE_CONDITION',
      "unexpected token after 'or', expecting 'or', 'and'",
      'f1.yaml:2:36',
    ]);
  });

  it('a single-quoted condition is offset by its opening quote', () => {
    expect(at(firstError(rule("'evt.type = open and proc.nme = bash'")))[2]).toBe('f1.yaml:3:35');
  });

  it('an appended piece in another file is located in that file', () => {
    const d = firstError(rule('evt.type = open'), "- rule: R\n  condition: and proc.nme = x\n  override: {condition: append}\n");
    expect(at(d)[2]).toBe('f2.yaml:2:18');
  });

  it("an unknown field inside an expanded macro points at the macro's token, the rule condition scalar related", () => {
    const d = firstError('- macro: m\n  condition: proc.nme = x\n' + rule('evt.type = open and m'));
    expect(at(d)).toEqual(['LOAD_ERR_COMPILE_CONDITION', 'filter_check called with nonexistent field proc.nme', 'f1.yaml:2:14']);
    expect(d.related?.map((r) => formatLoc(r.location))).toEqual(['f1.yaml:1:3', 'f1.yaml:5:14']);
  });
});

describe('the condition scalar when the parsed text differs from the source', () => {
  it.each([
    ['block', '|\n    evt.type = open and proc.nme = bash'],
    ['folded', '>\n    evt.type = open and\n    proc.nme = bash'],
    ['double-quoted', '"evt.type = open and proc.nme = bash"'],
    ['single-quoted with a doubled quote', "'evt.type = open and proc.nme = ''bash'''"],
    ['plain over two lines', 'evt.type = open and\n    proc.nme = bash'],
  ])('%s scalar: an unknown field points at the scalar', (_name, value) => {
    expect(at(firstError(rule(value)))[2]).toBe('f1.yaml:3:14');
  });

  it('double-quoted: a parse error and an undefined macro point at the scalar', () => {
    expect(at(firstError(rule('"evt.type = open and and x"')))[2]).toBe('f1.yaml:3:14');
    expect(at(firstError(rule('"evt.type = open and not_a_macro"')))[2]).toBe('f1.yaml:3:14');
  });

  it('with exceptions: unknown field and parse error at the scalar, undefined macro as before', () => {
    expect(at(firstError(rule('evt.type = open and proc.nme = bash', EXCEPTION)))[2]).toBe('f1.yaml:3:14');
    expect(at(firstError(rule('evt.type = open and and x', EXCEPTION)))[2]).toBe('f1.yaml:3:14');
    expect(at(firstError(rule('evt.type = open and not_a_macro', EXCEPTION)))[2]).toBe('f1.yaml:3:14');
  });

  it('after a list substitution: unknown field, parse error and undefined macro at the scalar', () => {
    expect(at(firstError(LISTS + rule('proc.name in (shells) and proc.nme = bash')))[2]).toBe('f1.yaml:5:14');
    expect(at(firstError(LISTS + rule('proc.name in (shells) and and x')))[2]).toBe('f1.yaml:5:14');
    expect(at(firstError(LISTS + rule('proc.name in (shells) and not_a_macro')))[2]).toBe('f1.yaml:5:14');
  });

  it('an unknown field in a double-quoted appended piece keeps the first scalar', () => {
    const d = firstError(rule('evt.type = open'), '- rule: R\n  condition: "and proc.nme = x"\n  override: {condition: append}\n');
    expect(at(d)[2]).toBe('f1.yaml:3:14');
  });

  it('a macro after a list substitution: parse error at the scalar', () => {
    const d = firstError(LISTS + '- macro: m\n  condition: proc.name in (shells) or or x\n' + rule('m'));
    expect(at(d)[2]).toBe('f1.yaml:4:14');
  });
});

describe('what the reader records', () => {
  it('the text column of a condition: plain and single-quoted one-line only', () => {
    const f = readRulesFile({
      path: 'r.yaml',
      text: "- macro: a\n  condition: x = 1\n- macro: b\n  condition: 'x = 1'\n- macro: c\n  condition: \"x = 1\"\n- macro: d\n  condition: >-\n    x = 1\n",
    });
    expect(f.items.map((i) => i.valueTextColumns?.condition)).toEqual([14, 15, undefined, undefined]);
  });
});
