import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { LATEST_TRIO, UPSTREAM_RULES, missingUpstream } from '../helpers/shared.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fg-compile-'));
});

function file(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

const RULE = '- rule: R\n  desc: d\n  condition: evt.type = open and proc.name = cat\n  output: o\n  priority: INFO\n';

describe('falco-gitops compile', () => {
  it('prints the documented JSON for a loadable file and exits 0', async () => {
    const r = await run(['compile', '--format', 'json', file('ok.yaml', RULE)], { cwd: dir });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, ok: true, errors: [], warnings: [], requiredEngineVersion: null, requiredPluginVersions: [] });
    expect(json.rules[0]).toEqual({
      name: 'R',
      source: 'syscall',
      enabled: true,
      priority: 'Informational',
      description: 'd',
      output: 'o',
      tags: [],
      condition: 'evt.type = open and proc.name = cat',
      compiledCondition: '(evt.type = open and proc.name = cat)',
      eventTypes: ['asyncevent', 'open'],
      exceptions: [],
      capture: false,
      captureDuration: 0,
      warnEvttypes: true,
      skipIfUnknownFilter: false,
    });
  });

  it('loads several files in order into one engine', async () => {
    const overlay = file('overlay.yaml', '- rule: R\n  condition: and fd.name = /etc/shadow\n  override: {condition: append}\n');
    const r = await run(['compile', '--format', 'json', file('base.yaml', RULE), overlay], { cwd: dir });
    expect(JSON.parse(r.stdout).rules[0].compiledCondition).toBe('(evt.type = open and proc.name = cat and fd.name = /etc/shadow)');
  });

  it.skipIf(missingUpstream(...LATEST_TRIO))('loads the latest upstream trio with no error', async () => {
    const r = await run(['compile', ...LATEST_TRIO.map((f) => join(UPSTREAM_RULES, f))], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok for falco 0\.44\.1 \(container\): \d+ rules, \d+ macros, \d+ lists; 0 errors, \d+ warnings$/m);
  });

  it('a macro cycle: one coded error with its position, exit 1', async () => {
    const cyc = file(
      'cycle.yaml',
      '- macro: a\n  condition: proc.name = x\n- macro: b\n  condition: a\n- macro: a\n  condition: or b\n  override: {condition: append}\n' +
        RULE.replace('proc.name = cat', 'a'),
    );
    const r = await run(['compile', cyc], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^cycle\.yaml:\d+:\d+: error LOAD_ERR_VALIDATE: reference loop in macro '[ab]' \(macro '[ab]'\)$/m);
  });

  it('malformed YAML: LOAD_ERR_YAML_PARSE with line and column, exit 1, no stack trace', async () => {
    const r = await run(['compile', file('bad.yaml', '- rule: R\n  desc: [unclosed\n  output: o\n')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bad\.yaml:\d+:\d+: error LOAD_ERR_YAML_PARSE: /m);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a YAML alias bomb: one clear error, exit 1', async () => {
    const bomb = ['- list: a0', '  items: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `- list: a${i}`,
        `  items: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const r = await run(['compile', file('bomb.yaml', bomb.join('\n') + '\n')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bomb\.yaml:\d+:\d+: error LOAD_ERR_YAML_(PARSE|VALIDATE): /m);
  });

  it('a non-UTF-8 file: an input error naming file, line and column, exit 2', async () => {
    const bytes = Buffer.concat([Buffer.from('- list: l\n  items: [a, '), Buffer.from([0xff, 0xfe]), Buffer.from(']\n')]);
    const r = await run(['compile', file('latin.yaml', bytes)], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/latin\.yaml:2:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a 50 MB file: refused before parsing with one clear error, exit 2', async () => {
    const item = '- list: l\n  items: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n';
    const r = await run(['compile', file('huge.yaml', item.repeat(Math.ceil((50 * 1024 * 1024) / item.length)))], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: huge\.yaml: file is \d+ bytes, more than the 16777216-byte limit for a rules file\n$/);
  });

  it('a missing file is a usage/input error, exit 2', async () => {
    const r = await run(['compile', 'nope.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: nope.yaml: cannot read: ENOENT\n');
  });

  it('an unknown --format is a usage error, exit 2', async () => {
    const r = await run(['compile', '--format', 'xml', file('ok2.yaml', RULE)], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid. Allowed choices are text, json.");
  });
});
