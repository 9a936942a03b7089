import { stringify } from 'yaml';
import type { ManifestOptions, PinnedArtifact } from './model.js';
import { header } from './render-helm.js';
import { artifactRef } from './references.js';

/** falcoctl's own config file (keys as falcoctl's viper config reads them, case-insensitively). */
export function falcoctlConfig(artifact: PinnedArtifact, options: ManifestOptions): Record<string, unknown> {
  const ref = artifactRef(artifact, options.pin);
  return {
    indexes: [],
    artifact: {
      allowedtypes: ['rulesfile'],
      install: { refs: [ref], rulesfilesdir: '/etc/falco', resolvedeps: false },
      follow: { refs: [ref], every: options.followEvery, rulesfilesdir: '/etc/falco' },
    },
  };
}

export function renderFalcoctlConfig(artifact: PinnedArtifact, options: ManifestOptions): string {
  return header(artifact, 'falcoctl artifact follow --config falcoctl.yaml') + stringify(falcoctlConfig(artifact, options));
}
