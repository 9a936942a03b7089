import type { DeliveryTarget, ManifestFile, ManifestOptions, PinnedArtifact } from './model.js';
import { renderFalcoctlConfig } from './render-falcoctl.js';
import { renderHelmValues } from './render-helm.js';
import { renderKustomization, renderOperatorRulesfile } from './render-operator.js';

/**
 * Every file for one environment under `<environment>/<target>/`: one folder per cluster and delivery
 * path, so an Argo CD ApplicationSet (git directory generator on `* /operator`) or one Flux
 * Kustomization per cluster can point at it.
 */
export function renderManifests(artifact: PinnedArtifact, targets: readonly DeliveryTarget[], options: ManifestOptions): ManifestFile[] {
  const dir = artifact.environment;
  const files: ManifestFile[] = [];
  for (const target of targets) {
    if (target === 'helm') files.push({ path: `${dir}/helm/values.yaml`, content: renderHelmValues(artifact, options) });
    if (target === 'operator') {
      files.push({ path: `${dir}/operator/rulesfile.yaml`, content: renderOperatorRulesfile(artifact, options) });
      files.push({ path: `${dir}/operator/kustomization.yaml`, content: renderKustomization() });
    }
    if (target === 'falcoctl') files.push({ path: `${dir}/falcoctl/falcoctl.yaml`, content: renderFalcoctlConfig(artifact, options) });
  }
  return files;
}
