import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatAnnotation, reportAnnotations } from '../../src/automation/index.js';
import type { Report } from '../../src/report/index.js';

describe('workflow command escaping', () => {
  it.each([
    ['100% done', '100%25 done'],
    ['line one\nline two', 'line one%0Aline two'],
    ['crlf\r\n', 'crlf%0D%0A'],
    ['a:b,c', 'a:b,c'],
  ])('data %j', (input, expected) => {
    expect(escapeData(input)).toBe(expected);
  });

  it.each([
    ['rules/a:b.yaml', 'rules/a%3Ab.yaml'],
    ['x,y', 'x%2Cy'],
    ['50%\n', '50%25%0A'],
  ])('property %j', (input, expected) => {
    expect(escapeProperty(input)).toBe(expected);
  });

  it('a command line cannot be split or given extra properties by its content', () => {
    const line = formatAnnotation({ level: 'error', file: 'env,line=1:x', line: 7, column: 3, title: 'no-evttype', message: 'bad\n::error::injected' });
    expect(line).toBe('::error file=env%2Cline=1%3Ax,line=7,col=3,title=no-evttype::bad%0A::error::injected');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('without a location there are no properties', () => {
    expect(formatAnnotation({ level: 'notice', message: 'hello' })).toBe('::notice::hello');
  });
});

describe('reportAnnotations', () => {
  it('diagnostics keep severity and code; notes become notices; findings name their environment', () => {
    const report: Report = {
      command: 'ci',
      tool: { name: 'falco-gitops', version: '0' },
      diagnostics: [
        { code: 'LOAD_ERR_COMPILE_CONDITION', severity: 'error', itemType: 'rule', itemName: 'R', message: 'unexpected token', location: { file: 'rules/a.yaml', line: 4, column: 14 } },
      ],
      findings: [
        { checkId: 'or-chain-to-in', messageId: 'chain', severity: 'note', message: 'use in', location: { file: 'environments/production/t.yaml', line: 2, column: 5 }, itemType: 'macro', itemName: 'm', environment: 'production', hint: 'proc.name in (a, b)' },
      ],
      checks: [],
      summary: { passed: false, errors: 1, warnings: 0, notes: 1, suppressed: 0 },
      tables: [],
    };
    expect(reportAnnotations(report).map(formatAnnotation)).toEqual([
      "::error file=rules/a.yaml,line=4,col=14,title=LOAD_ERR_COMPILE_CONDITION::unexpected token (rule 'R')",
      '::notice file=environments/production/t.yaml,line=2,col=5,title=or-chain-to-in::use in [production]%0Aproc.name in (a%2C b)'.replace('%2C', ','),
    ]);
  });
});
