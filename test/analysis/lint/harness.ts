/**
 * Lints a YAML snippet the way docs examples and check tables write it. Sections start with
 * header comments: `# @upstream`, `# @overlay` (files of one environment, in that order),
 * `# @env NAME` (one more environment, on top of the upstream files), `# @base` (the ruleset at
 * the base ref), `# @policy {json}` (the lint policy). Without headers, the snippet is one file.
 */
import { loadRules, readRulesFile, type RulesFile, type SourceFile } from '../../../src/rules/index.js';
import { CHECKS, runLint, type Check, type LintEnvironment, type LintPolicy } from '../../../src/analysis/lint/index.js';
import type { Finding } from '../../../src/report/index.js';

interface Section {
  kind: 'upstream' | 'overlay' | 'env' | 'base';
  name: string;
  lines: string[];
}

export function lintSnippet(yaml: string, checks: readonly Check[] = CHECKS): Finding[] {
  const sections: Section[] = [];
  let policy: LintPolicy = {};
  let current: Section = { kind: 'overlay', name: 'rules.yaml', lines: [] };
  for (const line of yaml.split('\n')) {
    const header = /^# @(upstream|overlay|env|base|policy)\b\s*(.*)$/.exec(line);
    if (!header) {
      current.lines.push(line);
      continue;
    }
    if (header[1] === 'policy') {
      policy = JSON.parse(header[2]!) as LintPolicy;
      continue;
    }
    if (current.lines.some((l) => l.trim() !== '') || sections.length > 0 || current.kind !== 'overlay') sections.push(current);
    const kind = header[1] as Section['kind'];
    const name =
      kind === 'env' ? header[2]! : kind === 'upstream' ? `upstream/rules-${sections.filter((s) => s.kind === 'upstream').length}.yaml` : `${kind}.yaml`;
    current = { kind, name, lines: [] };
  }
  sections.push(current);
  const usable = sections.filter((s) => s.lines.some((l) => l.trim() !== ''));
  const file = (s: Section, path: string): SourceFile => ({ path, text: s.lines.join('\n') + '\n' });
  const upstream = usable.filter((s) => s.kind === 'upstream').map((s) => file(s, s.name));
  const overlays = usable.filter((s) => s.kind === 'overlay').map((s) => file(s, s.name));
  const envs = usable.filter((s) => s.kind === 'env');
  const baseSection = usable.find((s) => s.kind === 'base');
  const base = baseSection ? loadRules([file(baseSection, 'base.yaml')]) : undefined;
  const environment = (name: string | undefined, sources: SourceFile[]): LintEnvironment => {
    const parsed: RulesFile[] = sources.map((s) => readRulesFile(s));
    const compiled = loadRules(sources, { read: (s) => parsed[sources.indexOf(s)]! });
    return { ...(name === undefined ? {} : { name }), files: parsed, compiled, policy, ...(base ? { base } : {}) };
  };
  const environments =
    envs.length > 0
      ? envs.map((e) => environment(e.name, [...upstream, ...overlays, file(e, `environments/${e.name}/rules.yaml`)]))
      : [environment(undefined, [...upstream, ...overlays])];
  for (const env of environments) {
    const errors = env.compiled.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`snippet does not load: ${errors.map((d) => d.message).join('; ')}`);
  }
  return runLint(environments, checks, { isUpstream: (f) => f.startsWith('upstream/') }).findings;
}

export interface CheckCase {
  /** What the case shows. */
  name: string;
  yaml: string;
}

export interface FlaggedCase extends CheckCase {
  messageId: string;
  /** 1-based line of the first finding, in the file the section became. */
  line: number;
  /** How many findings the check reports (default 1). */
  count?: number;
}

/** Findings of one check on a snippet, as [messageId, line] pairs sorted by line. */
export function findingsOf(check: Check, yaml: string): Finding[] {
  return lintSnippet(yaml, [check])
    .filter((f) => f.checkId === check.id)
    .sort((a, b) => a.location.line - b.location.line);
}
