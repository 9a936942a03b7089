import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/rules/index.js';
import type { Diagnostic } from '../../src/diagnostics/index.js';
import { run } from '../helpers/cli.js';

function load(...texts: string[]): Diagnostic[] {
  return loadRules(texts.map((content, i) => ({ path: `f${i}.yaml`, text: content }))).diagnostics;
}

function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0];
}

const RULE = `- rule: r
  desc: d
  condition: evt.type = open
  output: o
  priority: WARNING
`;

describe('did-you-mean hints keep Falco code and message', () => {
  it('a misspelt mandatory key: Falco refuses the missing key, the hint names the present one', () => {
    const d = only(load(RULE.replace('condition:', 'condtion:')), 'LOAD_ERR_YAML_VALIDATE');
    expect(d.message).toBe("Item has no mapping for key 'condition'");
    expect(d.hint).toBe("did you mean 'condition'? The item has 'condtion'");
  });

  it('a misspelt optional key: Falco warns about the unknown key, the hint names the allowed one', () => {
    const d = only(load(RULE + '  enabeld: false\n'), 'LOAD_UNKNOWN_KEY');
    expect(d.message).toBe("Unknown key 'enabeld'. The key will be ignored.");
    expect(d.hint).toBe("did you mean 'enabled'?");
  });

  it('unknown keys on macros and lists', () => {
    const diagnostics = load(`- list: l\n  items: [a]\n  overide: {items: append}\n- macro: m\n  condition: evt.type in (l)\n  apend: false\n` + RULE.replace('open', 'open and m'));
    expect(diagnostics.filter((d) => d.code === 'LOAD_UNKNOWN_KEY').map((d) => d.hint)).toEqual(["did you mean 'override'?", "did you mean 'append'?"]);
  });

  it('a misspelt boolean', () => {
    const d = only(load(RULE + '  enabled: flase\n'), 'LOAD_ERR_YAML_VALIDATE');
    expect(d.message).toBe("Can't decode YAML scalar value");
    expect(d.hint).toBe("did you mean 'false'?");
  });

  it('a refused priority abbreviation or typo; accepted spellings get nothing', () => {
    const warn = only(load(RULE.replace('WARNING', 'WARN')), 'LOAD_ERR_YAML_VALIDATE');
    expect(warn.message).toBe('Invalid priority');
    expect(warn.hint).toBe("did you mean 'WARNING'?");
    expect(only(load(RULE.replace('WARNING', 'critcal')), 'LOAD_ERR_YAML_VALIDATE').hint).toBe("did you mean 'CRITICAL'?");
    for (const accepted of ['Warning', 'info', 'informational']) {
      expect(load(RULE.replace('WARNING', accepted)).filter((d) => d.severity === 'error')).toEqual([]);
    }
  });

  it('an append or override to a misspelt rule, macro or list name suggests the existing one', () => {
    const base = `- list: shell_binaries\n  items: [bash]\n- macro: spawned\n  condition: evt.type = execve and proc.name in (shell_binaries)\n` + RULE.replace('open', 'open and spawned');
    const rule = only(load(base, `- rule: unrelated_name\n  condition: and proc.name = a\n  override: {condition: append}\n`), 'LOAD_ERR_VALIDATE');
    expect(rule.hint).toBeUndefined();
    const cases: [string, string][] = [
      ['- rule: R\n  desc: more\n  override: {desc: append}\n', "did you mean 'r'?"],
      ['- macro: spawnd\n  condition: or proc.name = a\n  override: {condition: append}\n', "did you mean 'spawned'?"],
      ['- list: shell_binaris\n  items: [sh]\n  override: {items: append}\n', "did you mean 'shell_binaries'?"],
    ];
    for (const [overlay, hint] of cases) {
      const d = only(load(base, overlay), 'LOAD_ERR_VALIDATE');
      expect(d.message).toMatch(/no (rule|macro|list) by that name already exists/);
      expect(d.hint).toBe(hint);
    }
  });

  it('a correct file gets no hint', () => {
    expect(load(RULE).filter((d) => d.hint !== undefined)).toEqual([]);
  });

  it('a name with no close match gets no hint', () => {
    expect(only(load(RULE + '  zzzzzzzzz: 1\n'), 'LOAD_UNKNOWN_KEY').hint).toBeUndefined();
    expect(only(load(RULE + '  enabled: maybe\n'), 'LOAD_ERR_YAML_VALIDATE').hint).toBeUndefined();
  });

  it('compile prints the hint on its own line after Falco message, and in JSON as a separate field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dym-'));
    writeFileSync(join(dir, 'r.yaml'), RULE + '  enabled: flase\n');
    const text = await run(['compile', 'r.yaml'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/error LOAD_ERR_YAML_VALIDATE: Can't decode YAML scalar value.*\n  hint: did you mean 'false'\?\n/);
    const json = await run(['compile', '--format', 'json', 'r.yaml'], { cwd: dir });
    const errors = JSON.parse(json.stdout).errors as { message: string; hint?: string }[];
    expect(errors).toEqual([expect.objectContaining({ message: "Can't decode YAML scalar value", hint: "did you mean 'false'?" })]);
  });

  it('a misspelt field in a condition or an output: the catalog field meant', () => {
    const condition = only(load(RULE.replace('evt.type = open', 'evt.type = open and proc.nmae = bash')), 'LOAD_ERR_COMPILE_CONDITION');
    expect(condition.message).toBe('filter_check called with nonexistent field proc.nmae');
    expect(condition.hint).toBe("did you mean 'proc.name'?");
    expect(condition.location).toEqual({ file: 'f0.yaml', line: 3, column: 34 });
    const output = only(load(RULE.replace('output: o', 'output: "x %proc.cmdlin"')), 'LOAD_ERR_COMPILE_OUTPUT');
    expect(output.message).toBe('invalid formatting token proc.cmdlin');
    expect(output.hint).toBe("did you mean 'proc.cmdline'?");
    const exception = RULE + '  exceptions:\n    - name: e\n      fields: [proc.pnmae]\n      values: [[sh]]\n';
    const d = only(load(exception), 'LOAD_ERR_VALIDATE');
    expect([d.message, d.hint]).toEqual(["'proc.pnmae' is not a supported filter field", "did you mean 'proc.pname'?"]);
  });

  it('a misspelt macro in a condition: the macro meant, among those the condition can see', () => {
    const base = '- macro: spawned_process\n  condition: evt.type = execve\n';
    const d = only(load(base + RULE.replace('evt.type = open', 'spawned_proces and proc.name = sh')), 'LOAD_ERR_VALIDATE');
    expect(d.message).toBe("Undefined macro 'spawned_proces' used in filter.");
    expect(d.hint).toBe("did you mean 'spawned_process'?");
    // a macro sees only macros defined before it: no hint toward a later one
    const later = only(load('- macro: m\n  condition: spawned_proces\n' + base + RULE.replace('open', 'open and m')), 'LOAD_ERR_VALIDATE');
    expect(later.hint).toBeUndefined();
  });

  it('a misspelt exception key: the key meant', () => {
    const missingFields = RULE + '  exceptions:\n    - name: e\n      feilds: [proc.name]\n      values: [[sh]]\n';
    const d = only(load(missingFields), 'LOAD_ERR_YAML_VALIDATE');
    expect(d.message).toBe("Item has no mapping for key 'fields'");
    expect(d.hint).toBe("did you mean 'fields'? The item has 'feilds'");
    const append = RULE + '  exceptions:\n    - name: e\n      fields: [proc.name]\n';
    const appended = '- rule: r\n  exceptions:\n    - name: e\n      valeus: [[sh]]\n  override: {exceptions: append}\n';
    expect(only(load(append, appended), 'LOAD_APPEND_NO_VALUES').hint).toBe("did you mean 'values'? The item has 'valeus'");
  });

  it("a bad field in our overlay's macro is reported at our macro, with the upstream rule Falco met it in as related", () => {
    const upstream = '- macro: user_known_x\n  condition: (never_true)\n- macro: never_true\n  condition: (evt.num=0)\n' + RULE.replace('evt.type = open', 'evt.type = open and not user_known_x');
    const overlay = '# ours\n- macro: user_known_x\n  condition: proc.name = backup and proc.nmae = rsync\n  override:\n    condition: replace\n';
    const d = only(load(upstream, overlay), 'LOAD_ERR_COMPILE_CONDITION');
    expect([d.code, d.message, d.itemType, d.itemName]).toEqual(['LOAD_ERR_COMPILE_CONDITION', 'filter_check called with nonexistent field proc.nmae', 'rule', 'r']);
    expect(d.location).toEqual({ file: 'f1.yaml', line: 3, column: 37 });
    expect(d.hint).toBe("did you mean 'proc.name'?");
    expect(d.related).toEqual([
      { message: "macro 'user_known_x', used by rule 'r', is defined here", location: { file: 'f1.yaml', line: 2, column: 3 } },
      { message: "Falco reports it compiling rule 'r'", location: { file: 'f0.yaml', line: 7, column: 14 } },
    ]);
  });
});
