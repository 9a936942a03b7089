/**
 * An exception's `fields` are checked when the rule is collected (Falco 0.44.1
 * rule_loader_collector.cpp, validate_exception_info with falco_source::is_valid_lhs_field), so an
 * unknown field is LOAD_ERR_VALIDATE "'F' is not a supported filter field" even when the exception
 * has no values and never reaches the condition. Rules of a source no loaded plugin provides are not
 * checked (Falco passes a null source), and a replaced exception is assigned unchecked.
 */
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/index.js';
import { makeTarget } from '../../src/targets/target.js';
import { semanticsOf } from '../../src/targets/semantics.js';

const RULE = '- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n';

/** code message item @line:col of each error, loading for a target (default: the newest release). */
function errors(texts: string[], version?: string, plugins?: string[]): string[] {
  const target = version ? semanticsOf(makeTarget(version, plugins?.map((name) => ({ name })))) : undefined;
  const r = loadRules(
    texts.map((text, i) => ({ path: `f${i + 1}.yaml`, text })),
    target ? { target } : {},
  );
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message} ${d.itemType}:${d.itemName} @${d.location.file}:${d.location.line}:${d.location.column}`);
}

const withExceptions = (exceptions: string, rule = RULE) => `${rule}  exceptions:\n${exceptions}`;
const unsupported = (field: string, name: string, at: string) => `LOAD_ERR_VALIDATE '${field}' is not a supported filter field exception:${name} @${at}`;

describe('unknown exception fields are load errors (§2.6)', () => {
  it('a scalar field, no values: the error points at the field', () => {
    expect(errors([withExceptions('    - name: bad\n      fields: proc.nosuch\n')])).toEqual([unsupported('proc.nosuch', 'bad', 'f1.yaml:8:15')]);
  });

  it('the second field of a list, no values: the error points at that field', () => {
    expect(errors([withExceptions('    - name: bad\n      fields: [proc.name, fd.nosuch]\n')])).toEqual([unsupported('fd.nosuch', 'bad', 'f1.yaml:8:27')]);
  });

  it('fields on their own lines: the line of the unknown one', () => {
    expect(errors([withExceptions('    - name: bad\n      fields:\n        - proc.name\n        - proc.cmdlin\n      values: []\n')])).toEqual([
      unsupported('proc.cmdlin', 'bad', 'f1.yaml:10:11'),
    ]);
  });

  it('with values too, it is the same collector error and not a condition compile error', () => {
    expect(errors([withExceptions('    - name: bad\n      fields: [proc.nme]\n      values: [[bash]]\n')])).toEqual([unsupported('proc.nme', 'bad', 'f1.yaml:8:16')]);
  });

  it('the exception named is the failing one, not the first of the rule', () => {
    expect(errors([withExceptions('    - name: fine\n      fields: proc.name\n    - name: bad\n      fields: user.nme\n')])).toEqual([unsupported('user.nme', 'bad', 'f1.yaml:10:15')]);
  });

  it('a known field with a transformer passes; an unknown one inside a transformer fails', () => {
    expect(errors([withExceptions('    - name: ok\n      fields:\n        - tolower(proc.name)\n        - proc.aname[2]\n')])).toEqual([]);
    expect(errors([withExceptions('    - name: bad\n      fields: [tolower(proc.nme)]\n')])).toEqual([unsupported('tolower(proc.nme)', 'bad', 'f1.yaml:8:16')]);
  });

  it('a field argument the field refuses fails (libs index argument rules)', () => {
    expect(errors([withExceptions('    - name: bad\n      fields: proc.aname[x]\n')])).toEqual([unsupported('proc.aname[x]', 'bad', 'f1.yaml:8:15')]);
  });

  it('an append that adds a new exception checks its fields', () => {
    const append = '- rule: R\n  exceptions:\n    - name: added\n      fields: [proc.name, fd.nam]\n      values: [[a, b]]\n  override: {exceptions: append}\n';
    expect(errors([RULE, append])).toEqual([unsupported('fd.nam', 'added', 'f2.yaml:4:27')]);
  });

  it('a replaced exception is assigned unchecked, as Falco does: no values, no error', () => {
    const replace = '- rule: R\n  exceptions:\n    - name: replaced\n      fields: [proc.nosuch]\n  override: {exceptions: replace}\n';
    expect(errors([RULE, replace])).toEqual([]);
  });

  it('loading stops at the error: a broken rule later in the file is not reached', () => {
    const later = '- rule: Later\n  desc: d\n  condition: proc.nme = x\n  output: o\n  priority: INFO\n';
    expect(errors([`${withExceptions('    - name: bad\n      fields: proc.nosuch\n')}${later}`])).toEqual([unsupported('proc.nosuch', 'bad', 'f1.yaml:8:15')]);
  });
});

describe('which fields exist depends on the target', () => {
  it('a rule of a source no loaded plugin provides is not checked (skipped with LOAD_UNKNOWN_SOURCE)', () => {
    const k8s = withExceptions('    - name: e\n      fields: ka.nosuch\n', RULE.replace('priority: INFO', 'priority: INFO\n  source: k8s_audit'));
    expect(errors([k8s])).toEqual([]);
    expect(loadRules([{ path: 'f1.yaml', text: k8s }]).diagnostics.map((d) => d.code)).toEqual(['LOAD_UNKNOWN_SOURCE']);
  });

  it('with the plugin loaded, the plugin source fields are checked', () => {
    const k8s = (field: string) =>
      withExceptions(`    - name: e\n      fields: ${field}\n`, RULE.replace('evt.type = open', 'ka.verb = get').replace('priority: INFO', 'priority: INFO\n  source: k8s_audit'));
    expect(errors([k8s('ka.user.name')], '0.44.1', ['container', 'k8saudit'])).toEqual([]);
    expect(errors([k8s('ka.nosuch')], '0.44.1', ['container', 'k8saudit'])).toEqual([unsupported('ka.nosuch', 'e', 'f1.yaml:9:15')]);
  });

  it('a field libs added later fails for an older Falco (proc.pgid: libs 0.20, Falco 0.40.0)', () => {
    const text = withExceptions('    - name: e\n      fields: proc.pgid\n');
    expect(errors([text], '0.40.0')).toEqual([]);
    expect(errors([text], '0.39.2')).toEqual([unsupported('proc.pgid', 'e', 'f1.yaml:8:15')]);
  });

  it('container fields need the container plugin from 0.41 on', () => {
    const text = withExceptions('    - name: e\n      fields: container.image.repository\n');
    expect(errors([text], '0.44.1', ['container'])).toEqual([]);
    expect(errors([text], '0.44.1', [])).toEqual([unsupported('container.image.repository', 'e', 'f1.yaml:8:15')]);
    expect(errors([text], '0.40.0', [])).toEqual([]);
  });

  it('a transformer the target lacks makes the field unsupported (basename: Falco 0.39.0 on)', () => {
    const text = withExceptions('    - name: e\n      fields: basename(proc.exepath)\n');
    expect(errors([text], '0.39.0')).toEqual([]);
    expect(errors([text], '0.38.2')).toEqual([unsupported('basename(proc.exepath)', 'e', 'f1.yaml:8:15')]);
  });
});
