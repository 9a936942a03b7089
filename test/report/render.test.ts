import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { renderJson, renderMarkdown, renderReport, renderSarif, renderText } from '../../src/report/index.js';
import { sampleReport } from './sample-report.js';

const require = createRequire(import.meta.url);

describe('renderText', () => {
  it('prints diagnostics, then findings sorted by location, tables and a summary', () => {
    expect(renderText(sampleReport())).toBe(
      [
        'rules/a.yaml:3:3  warning  Macro not referred to by any other rule/macro  [LOAD_UNUSED_MACRO]',
        'rules/a.yaml:9:14  error  rule "R" matches every event  [no-evttype]',
        '    rules/a.yaml:3:3: macro m',
        'rules/my rules.yaml:12:14  warning  proc.name | compared 3 times (production)  [or-chain-to-in]',
        '    hint: use proc.name in (a, b, c)',
        '',
        'Costliest rules (production)',
        'rule  cost',
        '----  ----',
        'R     12',
        'S|T   3',
        '',
        'lint: failed (1 error, 2 warnings, 1 suppressed)',
        '',
      ].join('\n'),
    );
  });
});

describe('renderText against a base', () => {
  const againstMain = (states: ('new' | 'unchanged')[], fixed = 0) => {
    const report = sampleReport();
    report.diagnostics = [];
    report.tables = [];
    report.findings = report.findings.slice(0, states.length).map((f, i) => ({ ...f, baseline: { state: states[i], inChange: true } }));
    const at = { file: 'rules/a.yaml', line: 1, column: 1 };
    report.baseline = {
      base: 'main',
      fixed: Array.from({ length: fixed }, (_, i) => ({ id: 'x', severity: 'warning', message: `m${i}`, itemType: 'rule', itemName: 'R', location: at })),
    };
    return renderText(report).split('\n');
  };

  it('says there is nothing new when the change adds no problem, and counts what it fixed', () => {
    expect(againstMain([], 2)).toContain('Against main: no new problems · 2 fixed');
  });

  it('says there is nothing else when every problem is new', () => {
    expect(againstMain(['new'])).toContain('Against main: no other problems');
  });

  it('lists the problems the base had too, under the line', () => {
    const [newOne, unchanged] = sampleReport().findings;
    const lines = againstMain(['new', 'unchanged']);
    const at = lines.indexOf('Against main: also present (unchanged, or new outside the changed items):');
    const listed = lines.findIndex((l) => l.includes(newOne.message));
    expect(listed).toBeGreaterThanOrEqual(0);
    expect(listed).toBeLessThan(at);
    expect(lines[at + 1]).toMatch(/^  rules\//);
    expect(lines[at + 1]).toContain(unchanged.message);
  });
});

describe('renderJson', () => {
  it('is the model with a schema version and sorted findings', () => {
    const parsed = JSON.parse(renderJson(sampleReport()));
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.findings.map((f: { checkId: string }) => f.checkId)).toEqual(['no-evttype', 'or-chain-to-in']);
    expect(parsed.tables[0].rows).toEqual([
      ['R', 12],
      ['S|T', 3],
    ]);
  });
});

describe('renderMarkdown', () => {
  it('escapes pipes inside cells and shows the verdict first', () => {
    const md = renderMarkdown(sampleReport());
    expect(md.split('\n').slice(0, 3)).toEqual(['### falco-gitops lint', '', '❌ lint: failed (1 error, 2 warnings, 1 suppressed)']);
    expect(md).toContain(
      '| warning | or-chain-to-in | `rules/my rules.yaml:12:14` | proc.name \\| compared 3 times (production)<br>*use proc.name in (a, b, c)* |',
    );
    expect(md).toContain('| S\\|T | 3 |');
  });
});

describe('renderSarif', () => {
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
  const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);

  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(renderSarif(sampleReport()));
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a log without a version (the validation is real)', () => {
    const log = JSON.parse(renderSarif(sampleReport()));
    delete log.version;
    expect(validate(log)).toBe(false);
  });

  it('carries file, line and column, and maps checks to rules[]', () => {
    const log = JSON.parse(renderSarif(sampleReport()));
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['no-evttype', 'or-chain-to-in', 'LOAD_UNUSED_MACRO']);
    const r = run.results.find((x: { ruleId: string }) => x.ruleId === 'or-chain-to-in');
    expect(r.ruleIndex).toBe(1);
    expect(r.level).toBe('warning');
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'rules/my%20rules.yaml' },
      region: { startLine: 12, startColumn: 14 },
    });
    expect(r.properties).toEqual({ environment: 'production' });
  });
});

describe('renderReport', () => {
  it('dispatches on the format', () => {
    expect(renderReport(sampleReport(), 'text')).toBe(renderText(sampleReport()));
    expect(renderReport(sampleReport(), 'sarif')).toBe(renderSarif(sampleReport()));
  });
});
