import { describe, expect, it } from 'vitest';
import { CHECKS, lintReport } from '../../../src/analysis/lint/index.js';
import { appendPrecedence } from '../../../src/analysis/lint/checks/append-precedence.js';
import { orChainToIn } from '../../../src/analysis/lint/checks/or-chain-to-in.js';
import { ignoredPluginRequirementKey } from '../../../src/analysis/lint/checks/ignored-plugin-requirement-key.js';
import { loadRules, readRulesFile } from '../../../src/rules/index.js';
import { lintSnippet } from './harness.js';

const chain = (name: string) =>
  `- rule: ${name}\n  desc: d\n  condition: evt.type = execve and (proc.name = a or proc.name = b or proc.name = c)\n  output: o\n  priority: NOTICE\n`;

describe('inline suppression', () => {
  it('a directive with a reason drops the finding on the next item only', () => {
    const findings = lintSnippet(`# falco-gitops-disable-next-item or-chain-to-in: mirrors the vendor's list\n${chain('A')}${chain('B')}`, [orChainToIn]);
    expect(findings.map((f) => [f.itemName, f.checkId])).toEqual([['B', 'or-chain-to-in']]);
  });

  it('a directive without a reason suppresses nothing and is itself an error', () => {
    const findings = lintSnippet(`# falco-gitops-disable-next-item or-chain-to-in\n${chain('A')}`, [orChainToIn]);
    expect(findings.map((f) => [f.checkId, f.severity, f.location.line])).toEqual([
      ['suppression', 'error', 2],
      ['or-chain-to-in', 'note', 4],
    ]);
  });

  it('a directive above required_plugin_versions covers each plugin it names', () => {
    const requirement = '- required_plugin_versions:\n  - name: container\n    version: 0.1.0\n    alternative: [{name: container-fork, version: 0.1.0}]\n';
    expect(lintSnippet(requirement, [ignoredPluginRequirementKey]).map((f) => f.itemName)).toEqual(['container']);
    const suppressed = `# falco-gitops-disable-next-item ignored-plugin-requirement-key: read by our own tooling\n${requirement}`;
    expect(lintSnippet(suppressed, [ignoredPluginRequirementKey])).toEqual([]);
  });

  it('a directive for another check leaves this one alone', () => {
    const findings = lintSnippet(`# falco-gitops-disable-next-item no-evttype: not relevant\n${chain('A')}`, [orChainToIn]);
    expect(findings.map((f) => f.itemName)).toEqual(['A']);
  });
});

describe('policy', () => {
  it('turns a check off, raises another to error', () => {
    const off = lintSnippet(`# @policy {"severity": {"or-chain-to-in": "off"}}\n${chain('A')}`, [orChainToIn]);
    expect(off).toEqual([]);
    const raised = lintSnippet(`# @policy {"severity": {"or-chain-to-in": "error"}}\n${chain('A')}`, [orChainToIn]);
    expect(raised.map((f) => f.severity)).toEqual(['error']);
  });
});

describe('append-precedence', () => {
  it('shows the grouping Falco ends up with', () => {
    const yaml =
      '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name = a or evt.type = open\n  output: o\n  priority: NOTICE\n' +
      '- rule: R\n  condition: and not proc.pname = sshd\n  override:\n    condition: append\n';
    const [finding] = lintSnippet(yaml, [appendPrecedence]);
    expect(finding?.message).toBe(
      'the appended "and …" binds only to the last operand of the top-level "or" of rule "R": the result is ((evt.type = execve and proc.name = a) or (evt.type = open and not proc.pname = sshd))',
    );
  });
});

describe('lintReport', () => {
  const text = chain('A') + "- rule: Costly\n  desc: d\n  condition: evt.type = open and fd.name regex '.*key'\n  output: o\n  priority: NOTICE\n";
  const source = { path: 'rules.yaml', text };
  const parsed = [readRulesFile(source)];
  const compiled = loadRules([source], { read: () => parsed[0]! });

  it('passes on notes and warnings, lists the costliest rules', () => {
    const report = lintReport([{ files: parsed, compiled }], CHECKS, { toolVersion: '1' });
    expect(report.summary.passed).toBe(true);
    expect(report.tables[0]!.rows).toEqual([
      ['Costly', 9, 9],
      ['A', 2.75, 4],
    ]);
  });

  it('fails when the policy names a check in fail, or a rule is over budget', () => {
    const failing = lintReport([{ files: parsed, compiled, policy: { fail: ['or-chain-to-in'] } }], CHECKS, { toolVersion: '1' });
    expect(failing.summary.passed).toBe(false);
    const budget = lintReport([{ name: 'prod', files: parsed, compiled, policy: { costBudget: 5 } }], CHECKS, { toolVersion: '1' });
    expect(budget.summary.passed).toBe(false);
    expect(budget.findings.filter((f) => f.checkId === 'cost').map((f) => [f.itemName, f.environment])).toEqual([['Costly', 'prod']]);
    expect(budget.tables[0]!.title).toBe('Costliest rules (prod), budget 5');
  });

  it('reports a finding shared by several environments once, naming them only when not all', () => {
    const envs = ['a', 'b'].map((name) => ({ name, files: parsed, compiled }));
    const report = lintReport(envs, CHECKS, { toolVersion: '1' });
    const chains = report.findings.filter((f) => f.checkId === 'or-chain-to-in');
    expect(chains.map((f) => f.environment)).toEqual([undefined]);
    const onlyB = lintReport([{ ...envs[0]!, policy: { severity: { 'or-chain-to-in': 'off' } } }, envs[1]!], CHECKS, { toolVersion: '1' });
    expect(onlyB.findings.filter((f) => f.checkId === 'or-chain-to-in').map((f) => f.environment)).toEqual(['b']);
  });
});
