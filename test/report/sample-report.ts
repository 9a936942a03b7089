import type { Report } from '../../src/report/index.js';

/** A small report with one diagnostic, two findings (given out of order) and a table. */
export function sampleReport(): Report {
  return {
    command: 'lint',
    tool: { name: 'falco-gitops', version: '0.1.0' },
    diagnostics: [
      {
        code: 'LOAD_UNUSED_MACRO',
        severity: 'warning',
        itemType: 'macro',
        itemName: 'm',
        message: 'Macro not referred to by any other rule/macro',
        location: { file: 'rules/a.yaml', line: 3, column: 3 },
      },
    ],
    findings: [
      {
        checkId: 'or-chain-to-in',
        messageId: 'chain',
        severity: 'warning',
        message: 'proc.name | compared 3 times',
        location: { file: 'rules/my rules.yaml', line: 12, column: 14 },
        itemType: 'rule',
        itemName: 'R',
        environment: 'production',
        hint: 'use proc.name in (a, b, c)',
      },
      {
        checkId: 'no-evttype',
        messageId: 'all',
        severity: 'error',
        message: 'rule "R" matches every event',
        location: { file: 'rules/a.yaml', line: 9, column: 14 },
        itemType: 'rule',
        itemName: 'R',
        related: [{ message: 'macro m', location: { file: 'rules/a.yaml', line: 3, column: 3 } }],
      },
    ],
    checks: [
      { id: 'or-chain-to-in', summary: 'one set test', severity: 'warning', helpPath: 'docs/checks/or-chain-to-in.md' },
      { id: 'no-evttype', summary: 'restrict event types', severity: 'warning', rationale: 'why', hint: 'add evt.type' },
    ],
    summary: { passed: false, errors: 1, warnings: 2, notes: 0, suppressed: 1 },
    tables: [
      {
        title: 'Costliest rules (production)',
        columns: ['rule', 'cost'],
        rows: [
          ['R', 12],
          ['S|T', 3],
        ],
      },
    ],
  };
}
