/**
 * Preflight of a rulesfile artifact for one Falco target: the config's requirements and
 * dependencies as falcoctl's follower checks them, then the rules file compiled for the target.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { ENGINE_REQUIREMENT, type RulesfileConfig } from '../oci/index.js';
import { loadRules } from '../rules/index.js';
import { unmetPluginRequirement } from './plugin-requirements.js';
import { semanticsOf } from './semantics.js';
import { compareSemver, engineVersionOf, targetLabel, type FalcoTarget } from './target.js';

export interface VerifyResult {
  target: string;
  ok: boolean;
  /** Why it would not install or load, each in one sentence. */
  problems: string[];
  diagnostics: Diagnostic[];
}

/** The files of an artifact that are rules files (falcoctl installs every file; Falco loads the YAML ones). */
export function isRulesFileName(name: string): boolean {
  return /\.ya?ml$/.test(name);
}

export function verifyArtifact(config: RulesfileConfig | null, files: readonly { name: string; bytes: Uint8Array }[], target: FalcoTarget): VerifyResult {
  const problems: string[] = [];
  const engine = engineVersionOf(target.falcoVersion);
  for (const req of config?.requirements ?? []) {
    if (req.name !== ENGINE_REQUIREMENT) continue;
    // falcoctl: the running engine must be compatible with the required semver (same major, not older)
    if (req.version.split('.')[0] !== engine.split('.')[0] || compareSemver(engine, req.version) < 0) {
      problems.push(`requirement ${req.name} ${req.version} not met: Falco ${target.falcoVersion} has engine version ${engine}`);
    }
  }
  const dependencies = (config?.dependencies ?? []).map((d) => ({ name: d.name, version: d.version, alternatives: d.alternatives ?? [] }));
  const unmet = unmetPluginRequirement(dependencies, target);
  if (unmet) problems.push(`dependency not met: ${unmet.message}`);
  const rules = files.filter((f) => isRulesFileName(f.name));
  if (rules.length === 0) problems.push('the artifact holds no rules file');
  const ruleset = loadRules(
    rules.map((f) => ({ path: f.name, text: new TextDecoder().decode(f.bytes) })),
    { target: semanticsOf(target) },
  );
  const errors = ruleset.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) problems.push(`Falco ${target.falcoVersion} would refuse the rules: ${errors.length} error(s)`);
  return { target: targetLabel(target), ok: problems.length === 0, problems, diagnostics: ruleset.diagnostics };
}
