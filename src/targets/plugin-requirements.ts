/**
 * `required_plugin_versions` against the target's plugins, as Falco's engine checks them after
 * loading (falco_engine::check_plugin_requirements): every group must be met, and the first
 * alternative whose name is loaded decides (same major, not older).
 */
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { PluginRequirement } from '../rules/model.js';
import { compareSemver, type FalcoTarget } from './target.js';

const SEMVER = /^\d+\.\d+\.\d+$/;

/** sinsp_version::compatible_with: same major, and at least the required version. */
export function pluginVersionCompatible(plugin: string, required: string): boolean {
  return plugin.split('.')[0] === required.split('.')[0] && compareSemver(plugin, required) >= 0;
}

/** Falco's error for the first group the target does not meet, or null. A loaded plugin without a stated version meets any. */
export function unmetPluginRequirement(requirements: readonly PluginRequirement[], target: FalcoTarget): { index: number; message: string } | null {
  for (const [index, group] of requirements.entries()) {
    const alternatives = [{ name: group.name, version: group.version }, ...group.alternatives];
    const decided = alternatives.map((req) => ({ req, plugin: target.plugins.find((p) => p.name === req.name) })).find((a) => a.plugin !== undefined);
    if (!decided) {
      return { index, message: `Plugin requirement not satisfied, must load one of: ${alternatives.map((r) => `${r.name} (>= ${r.version})`).join(', ')}` };
    }
    const { req, plugin } = decided;
    if (plugin!.version === undefined) continue;
    if (!SEMVER.test(plugin!.version)) return { index, message: `Plugin '${plugin!.name}' has invalid version string '${plugin!.version}'` };
    if (!pluginVersionCompatible(plugin!.version, req.version)) {
      return { index, message: `Plugin '${plugin!.name}' version '${plugin!.version}' is not compatible with required plugin version '${req.version}'` };
    }
  }
  return null;
}

export function pluginRequirementDiagnostic(
  requirements: readonly PluginRequirement[],
  locs: readonly Loc[],
  target: FalcoTarget,
  fallback: Loc,
): Diagnostic | null {
  const unmet = unmetPluginRequirement(requirements, target);
  if (!unmet) return null;
  const name = requirements[unmet.index].name;
  return {
    code: 'LOAD_ERR_VALIDATE',
    severity: 'error',
    itemType: 'required plugin versions entry',
    itemName: name,
    message: unmet.message,
    location: locs[unmet.index] ?? fallback,
  };
}
