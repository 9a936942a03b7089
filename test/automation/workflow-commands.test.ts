import { describe, expect, it } from 'vitest';
import {
  defuseWorkflowCommands,
  guardedWriter,
  escapeData,
  escapeProperty,
  formatAnnotation,
  limitAnnotations,
  reportAnnotations,
  type Annotation,
} from '../../src/automation/index.js';
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
        {
          code: 'LOAD_ERR_COMPILE_CONDITION',
          severity: 'error',
          itemType: 'rule',
          itemName: 'R',
          message: 'unexpected token',
          location: { file: 'rules/a.yaml', line: 4, column: 14 },
        },
      ],
      findings: [
        {
          checkId: 'or-chain-to-in',
          messageId: 'chain',
          severity: 'note',
          message: 'use in',
          location: { file: 'environments/production/t.yaml', line: 2, column: 5 },
          itemType: 'macro',
          itemName: 'm',
          environment: 'production',
          hint: 'proc.name in (a, b)',
        },
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

describe('limitAnnotations (GitHub shows 10 errors, 10 warnings and 10 notices per step)', () => {
  const at = (level: Annotation['level'], file: string, line: number): Annotation => ({ level, file, line, column: 1, message: `${level} ${file}:${line}` });

  it('within the limits: everything, errors first, then warnings, then notices, by file and line; no closing notice', () => {
    const input = [
      at('warning', 'b.yaml', 3),
      at('notice', 'a.yaml', 1),
      at('error', 'b.yaml', 2),
      at('warning', 'a.yaml', 9),
      at('error', 'a.yaml', 10),
      at('error', 'a.yaml', 2),
    ];
    expect(limitAnnotations(input, 'the job summary').map((a) => a.message)).toEqual([
      'error a.yaml:2',
      'error a.yaml:10',
      'error b.yaml:2',
      'warning a.yaml:9',
      'warning b.yaml:3',
      'notice a.yaml:1',
    ]);
  });

  it('over the limits: the first 10 errors and 10 warnings by file and line, then one notice counting the rest', () => {
    // 13 errors and 12 warnings, in reverse order; two unlocated errors sort after the located ones.
    const errors = [
      ...Array.from({ length: 11 }, (_, i) => at('error', 'rules/org.yaml', 11 - i)),
      { level: 'error' as const, message: 'unlocated 1' },
      { level: 'error' as const, message: 'unlocated 2' },
    ];
    const warnings = Array.from({ length: 12 }, (_, i) => at('warning', i % 2 === 0 ? 'environments/prod/a.yaml' : 'rules/org.yaml', 12 - i));
    const shown = limitAnnotations([...warnings, ...errors], 'the job summary and the SARIF report (ci.sarif)');
    expect(shown).toHaveLength(21);
    expect(shown.slice(0, 10).map((a) => a.message)).toEqual(Array.from({ length: 10 }, (_, i) => `error rules/org.yaml:${i + 1}`));
    expect(shown.slice(10, 20).map((a) => a.message)).toEqual([
      'warning environments/prod/a.yaml:2',
      'warning environments/prod/a.yaml:4',
      'warning environments/prod/a.yaml:6',
      'warning environments/prod/a.yaml:8',
      'warning environments/prod/a.yaml:10',
      'warning environments/prod/a.yaml:12',
      'warning rules/org.yaml:1',
      'warning rules/org.yaml:3',
      'warning rules/org.yaml:5',
      'warning rules/org.yaml:7',
    ]);
    expect(formatAnnotation(shown[20]!)).toBe(
      '::notice::5 more findings (3 errors, 2 warnings) not annotated: GitHub shows 10 of each level per step; all of them are in the job summary and the SARIF report (ci.sarif)',
    );
  });

  it('too many notices: nine of them, and the closing notice is the tenth', () => {
    const notices = Array.from({ length: 12 }, (_, i) => at('notice', 'a.yaml', i + 1));
    const shown = limitAnnotations([at('error', 'a.yaml', 1), ...notices], 'the job summary');
    expect(shown.filter((a) => a.level === 'notice')).toHaveLength(10);
    expect(shown.at(-2)!.message).toBe('notice a.yaml:9');
    expect(shown.at(-1)!.message).toBe('3 more findings (3 notices) not annotated: GitHub shows 10 of each level per step; all of them are in the job summary');
  });
});

describe('guarded output', () => {
  const acted = (text: string) => text.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::') || l.includes('##['));

  it('defuses a command at any line start, after blanks, and the legacy form anywhere', () => {
    const text = '::add-mask::x\n  ::warning::y\r::stop-commands::z\r\nok ##[error]w\n';
    expect(acted(defuseWorkflowCommands(text))).toEqual([]);
    expect(defuseWorkflowCommands(text).replace(/\u200b/g, '')).toBe(text);
  });

  it('sees a line split across writes as one line, and lets its own commands out on lines of their own', () => {
    let out = '';
    const w = guardedWriter((t) => {
      out += t;
    });
    for (const chunk of ['rule "a\r', '\n', ':', ':add-mask::x', '" done ', '#', '#[error]z']) w.write(chunk);
    w.command('::notice::ours');
    w.write('tail ::not-at-start');
    w.flush();
    expect(acted(out)).toEqual(['::notice::ours']);
    expect(out.replace(/\u200b/g, '')).toBe('rule "a\r\n::add-mask::x" done ##[error]z\n::notice::ours\ntail ::not-at-start');
  });
});
