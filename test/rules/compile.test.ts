/**
 * The compile stage end to end (docs/falco-rules-semantics.md §3, §4, §6, §7, §8, §11): inputs
 * inline, the compiled condition or the exact diagnostic asserted.
 */
import { describe, expect, it } from 'vitest';
import { loadRules, type CompiledRuleset } from '../../src/rules/index.js';
import { makeTarget } from '../../src/targets/target.js';
import { semanticsOf } from '../../src/targets/semantics.js';

function load(...texts: string[]): CompiledRuleset {
  return loadRules(texts.map((text, i) => ({ path: `f${i + 1}.yaml`, text })));
}

/** Loads for a target: Falco `version` with exactly `plugins` loaded. */
function loadFor(version: string, plugins: string[], ...texts: string[]): CompiledRuleset {
  const target = semanticsOf(makeTarget(version, plugins.map((name) => ({ name }))));
  return loadRules(texts.map((text, i) => ({ path: `f${i + 1}.yaml`, text })), { target });
}

function compiled(ruleset: CompiledRuleset, rule = 'R'): string | undefined {
  return ruleset.rules.find((r) => r.name === rule)?.compiledCondition;
}

function codes(ruleset: CompiledRuleset): string[] {
  return ruleset.diagnostics.map((d) => `${d.severity} ${d.code} ${d.itemType}:${d.itemName}`);
}

const rule = (condition: string, extra = '') =>
  `- rule: R\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: INFO\n${extra}`;

describe('canonical form of the semantics doc (§6 examples)', () => {
  it('1: a list with an override-append, used in a rule', () => {
    const r = load(
      '- list: shell_binaries\n  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n- list: shell_binaries\n  items: [pwsh]\n  override: {items: append}\n' +
        rule('evt.type=open and proc.name in (shell_binaries)'),
    );
    expect(compiled(r)).toBe('(evt.type = open and proc.name in (ash, bash, csh, ksh, sh, tcsh, zsh, dash, pwsh))');
  });

  it('2: a macro with an override-append keeps its nesting', () => {
    const r = load(
      `- macro: interactive\n  condition: ((proc.aname=sshd and proc.name != sshd) or proc.name=systemd-logind or proc.name=login)\n` +
        `- macro: interactive\n  condition: or proc.name = ssh\n  override: {condition: append}\n` +
        rule('evt.type=open and interactive'),
    );
    expect(compiled(r)).toBe(
      '(evt.type = open and (((proc.aname = sshd and proc.name != sshd) or proc.name = systemd-logind or proc.name = login) or proc.name = ssh))',
    );
  });

  it('3: a legacy append on a rule', () => {
    const r = load(rule('evt.type=open') + '- rule: R\n  condition: and proc.name = cat\n  append: true\n');
    expect(compiled(r)).toBe('(evt.type = open and proc.name = cat)');
    expect(codes(r)).toContain('warning LOAD_DEPRECATED_ITEM rule:R');
  });

  it('4 and 5: a condition that is only a macro prints without outer parentheses; an append adds them', () => {
    const macro = '- macro: open_simple\n  condition: evt.type in (open,openat)\n';
    expect(compiled(load(macro + rule('open_simple')))).toBe('evt.type in (open, openat)');
    const appended = macro + '- macro: open_simple\n  condition: or evt.type = openat2\n  override: {condition: append}\n' + rule('open_simple');
    expect(compiled(load(appended))).toBe('(evt.type in (open, openat) or evt.type = openat2)');
  });

  it('7: a list appended across files', () => {
    const r = load(
      '- list: dev_creation_binaries\n  items: [blkid]\n' + rule('evt.type = execve and proc.name in (dev_creation_binaries)'),
      '- list: dev_creation_binaries\n  items: ["csi-provisioner", "csi-attacher"]\n  override: {items: append}\n',
    );
    expect(compiled(r)).toBe('(evt.type = execve and proc.name in (blkid, csi-provisioner, csi-attacher))');
  });

  it('8: a full redefinition replaces the condition and keeps the position', () => {
    const r = load(rule('evt.type = open') + '- rule: Other\n  desc: d\n  condition: evt.type = close\n  output: o\n  priority: INFO\n' + rule('proc.name = cat'));
    expect(compiled(r)).toBe('proc.name = cat');
    expect(r.rules.map((x) => x.name)).toEqual(['R', 'Other']);
  });

  it('9: a list-form exception with a value containing a space', () => {
    const r = load(
      rule(
        'proc.cmdline contains curl or proc.cmdline contains wget',
        '  exceptions:\n    - name: local\n      fields: [proc.cmdline]\n      comps: [contains]\n      values: [[curl 127.0.0.1]]\n',
      ),
    );
    expect(compiled(r)).toBe('((proc.cmdline contains curl or proc.cmdline contains wget) and not proc.cmdline contains "curl 127.0.0.1")');
  });

  it('10: a field name as an exception value is a string, with the compiler hint', () => {
    const r = load(rule('evt.type = open', '  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [=]\n      values: [[proc.pname]]\n'));
    expect(compiled(r)).toBe('(evt.type = open and not proc.name = proc.pname)');
    const hint = r.diagnostics.find((d) => d.code === 'LOAD_COMPILE_CONDITION');
    expect(hint?.message).toBe("'proc.pname' may be a valid field misused as a const string value");
  });

  it('12 and 14: transformers in exception values and fields', () => {
    const value = load(rule('evt.type = open', '  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [=]\n      values: [[toupper(proc.pname)]]\n'));
    expect(compiled(value)).toBe('(evt.type = open and not proc.name = toupper(proc.pname))');
    const field = load(rule('evt.type = open', '  exceptions:\n    - name: e\n      fields: [tolower( proc.name)]\n      comps: [=]\n      values: [[test]]\n'));
    expect(compiled(field)).toBe('(evt.type = open and not tolower(proc.name) = test)');
  });

  it('15 to 17: modifier comparisons in exceptions', () => {
    const ex = (fields: string, comps: string, values: string) =>
      compiled(load(rule('evt.type = open', `  exceptions:\n    - name: e\n      fields: ${fields}\n      comps: ${comps}\n      values: ${values}\n`)));
    expect(ex('[proc.name]', '[startswith oneof]', '[[[sshd, sudo, systemd]]]')).toBe(
      '(evt.type = open and not proc.name startswith oneof (sshd, sudo, systemd))',
    );
    expect(ex('[proc.name]', '[startswith oneof]', '[[sshd]]')).toBe('(evt.type = open and not proc.name startswith oneof (sshd))');
    expect(ex('[proc.name, fd.name]', '[startswith oneof, startswith]', '[[[sshd, sudo], /etc/]]')).toBe(
      '(evt.type = open and not (proc.name startswith oneof (sshd, sudo) and fd.name startswith /etc/))',
    );
  });

  it('20: a three-field exception', () => {
    const r = load(
      rule(
        'evt.type = open',
        '  exceptions:\n    - name: e\n      fields: [proc.name, fd.name, proc.exepath]\n      comps: [contains, startswith, =]\n      values: [[agent, /var/log/, /usr/bin/prometheus]]\n',
      ),
    );
    expect(compiled(r)).toBe('(evt.type = open and not (proc.name contains agent and fd.name startswith /var/log/ and proc.exepath = /usr/bin/prometheus))');
  });

  it('§2.6: single-form exceptions default to in, and exceptions may name lists', () => {
    const r = load(
      '- list: editors\n  items: [vim, nano]\n' + rule('evt.type = open', '  exceptions:\n    - name: a\n      fields: proc.name\n      values: [cat, "my tool", editors]\n'),
    );
    expect(compiled(r)).toBe('(evt.type = open and not proc.name in (cat, "my tool", vim, nano))');
  });
});

describe('macros (§4)', () => {
  it('a macro cannot use a macro first defined after it', () => {
    const r = load('- macro: a\n  condition: b\n- macro: b\n  condition: proc.name = x\n' + rule('evt.type = open and a'));
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({
      code: 'LOAD_ERR_VALIDATE',
      itemType: 'macro',
      itemName: 'a',
      message: "Undefined macro 'b' used in filter.",
      location: { file: 'f1.yaml', line: 2 },
    });
  });

  it('a rule placed above both macros sees them', () => {
    const r = load(rule('evt.type = open and a') + '- macro: b\n  condition: proc.name = x\n- macro: a\n  condition: b\n');
    expect(compiled(r)).toBe('(evt.type = open and proc.name = x)');
  });

  it('an undefined macro in a rule is an error with the rule named', () => {
    const r = load(rule('evt.type = open and nope'));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.itemName, d.message])).toEqual([
      ['LOAD_ERR_VALIDATE', 'R', "Undefined macro 'nope' used in filter."],
    ]);
  });

  it('a macro cycle made by an append is a reference loop', () => {
    const r = load(
      '- macro: a\n  condition: proc.name = x\n- macro: b\n  condition: a\n- macro: a\n  condition: or b\n  override: {condition: append}\n' + rule('evt.type = open and a'),
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((d) => d.severity === 'error')?.message).toMatch(/^reference loop in macro '(a|b)'$/);
  });

  it('unused macros and lists are warned about, after compile, with their location', () => {
    const r = load('- list: l\n  items: [a]\n- macro: m\n  condition: proc.name = x\n' + rule('evt.type = open'));
    expect(codes(r)).toEqual(['warning LOAD_UNUSED_MACRO macro:m', 'warning LOAD_UNUSED_LIST list:l']);
    expect(r.diagnostics[0]!.location).toEqual({ file: 'f1.yaml', line: 3, column: 3 });
  });

  it('a macro used only by an unused macro counts as used; its list too', () => {
    const r = load('- list: l\n  items: [a]\n- macro: inner\n  condition: proc.name in (l)\n- macro: outer\n  condition: inner\n' + rule('evt.type = open'));
    expect(codes(r)).toEqual(['warning LOAD_UNUSED_MACRO macro:outer']);
  });

  it('a parse error in an unused macro fails the load', () => {
    const r = load('- macro: m\n  condition: proc.name = \n' + rule('evt.type = open'));
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', itemName: 'm' });
  });
});

describe('rules (§7, §8, §11)', () => {
  it('an unknown field is a compile error in Falco words', () => {
    const r = load(rule('evt.type = open and proc.nope = x'));
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({
      code: 'LOAD_ERR_COMPILE_CONDITION',
      itemName: 'R',
      message: 'filter_check called with nonexistent field proc.nope',
    });
  });

  it('skip-if-unknown-filter turns it into LOAD_UNKNOWN_FILTER and drops the rule', () => {
    const r = load(rule('evt.type = open and proc.nope = x', '  skip-if-unknown-filter: true\n'));
    expect(r.ok).toBe(true);
    expect(r.rules).toEqual([]);
    expect(codes(r)).toEqual(['warning LOAD_UNKNOWN_FILTER rule:R']);
  });

  it('an unknown source is skipped with a warning', () => {
    const r = load(rule('ka.verb = create', '  source: nosuchsource\n'));
    expect(r.rules).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['LOAD_UNKNOWN_SOURCE', 'Unknown source nosuchsource, skipping']]);
  });

  it('a k8s_audit rule compiles against its plugin fields when k8saudit is loaded, with no event types', () => {
    const r = loadFor('0.44.1', ['container', 'k8saudit'], rule('ka.verb = create and ka.target.resource = pods', '  source: k8s_audit\n'));
    expect(r.ok).toBe(true);
    expect(r.rules[0]).toMatchObject({ source: 'k8s_audit', eventTypes: null, compiledCondition: '(ka.verb = create and ka.target.resource = pods)' });
  });

  it('a rule with no event-type restriction warns, unless warn_evttypes is false', () => {
    expect(codes(load(rule('proc.name = cat')))).toEqual(['warning LOAD_NO_EVTTYPE rule:R']);
    expect(codes(load(rule('proc.name = cat', '  warn_evttypes: false\n')))).toEqual([]);
    expect(load(rule('proc.name = cat')).rules[0]!.eventTypes).toBeNull();
  });

  it('[HEAD] a statically unsatisfiable rule (evt.num = 0) matches no syscall event and does not warn', () => {
    const r = loadFor('main', ['container'], rule('evt.num = 0'));
    expect(codes(r)).toEqual([]);
    // Falco indexes every syscall rule on asyncevent too; no syscall event type is left.
    expect(r.rules[0]!.eventTypes).toEqual(['asyncevent']);
  });

  it('event types are the names Falco indexes the rule on', () => {
    expect(load(rule('evt.type in (open, openat) and proc.name = cat')).rules[0]!.eventTypes).toEqual(['asyncevent', 'open', 'openat']);
  });

  it('%container.info is removed from the output with a deprecation warning', () => {
    const r = loadRules([{ path: 'f.yaml', text: '- rule: R\n  desc: d\n  condition: evt.type = open\n  output: "x %container.info"\n  priority: INFO\n' }]);
    expect(r.ok).toBe(true);
    expect(codes(r)).toEqual(['warning LOAD_DEPRECATED_ITEM rule:R']);
  });

  it('a deprecated field in a condition warns', () => {
    expect(codes(load(rule('evt.type = open and evt.dir = <')))).toEqual(['warning LOAD_DEPRECATED_ITEM rule:R']);
  });

  it('an unknown output field is LOAD_ERR_COMPILE_OUTPUT', () => {
    const r = loadRules([{ path: 'f.yaml', text: '- rule: R\n  desc: d\n  condition: evt.type = open\n  output: "x %proc.nope"\n  priority: INFO\n' }]);
    expect(r.diagnostics.find((d) => d.severity === 'error')?.code).toBe('LOAD_ERR_COMPILE_OUTPUT');
  });

  it('an <NA> comparison on a k8s audit field warns LOAD_UNSAFE_NA_CHECK', () => {
    const r = loadFor('0.44.1', ['k8saudit'], rule('ka.verb = create and ka.user.name != <NA>', '  source: k8s_audit\n'));
    expect(codes(r)).toEqual(['warning LOAD_UNSAFE_NA_CHECK rule:R']);
  });

  it('a regex without special characters gets the compiler hint', () => {
    const r = load(rule("evt.type = open and proc.name regex 'bash'"));
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "regex check with 'bash' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'",
    ]);
  });

  it('only the first compile error is reported', () => {
    const r = load(rule('evt.type = open and nope1') + rule('evt.type = open and nope2').replace('rule: R', 'rule: S'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
  });
});
