import { stringify } from 'yaml';
import type { ManifestOptions, PinnedArtifact } from './model.js';
import { artifactRef } from './references.js';

/** The chart mounts falcoctl's rulesfilesDir at /etc/falco in the Falco container. */
const CHART_RULESFILES_DIR = '/rulesfiles';
const FALCO_RULES_DIR = '/etc/falco';

/** Values for the falcosecurity/falco chart: falcoctl installs and follows only this artifact, Falco loads only its rules file. */
export function helmValues(artifact: PinnedArtifact, options: ManifestOptions): Record<string, unknown> {
  const ref = artifactRef(artifact, options.pin);
  return {
    falcoctl: {
      artifact: { install: { enabled: true }, follow: { enabled: true } },
      config: {
        // The ref names the registry in full, so no index is needed to resolve it.
        indexes: [],
        artifact: {
          allowedTypes: ['rulesfile'],
          install: { resolveDeps: false, refs: [ref], rulesfilesDir: CHART_RULESFILES_DIR },
          follow: { refs: [ref], every: options.followEvery, rulesfilesDir: CHART_RULESFILES_DIR },
        },
      },
    },
    falco: { rules_files: [`${FALCO_RULES_DIR}/${artifact.rulesFileName}`] },
  };
}

export function renderHelmValues(artifact: PinnedArtifact, options: ManifestOptions): string {
  return header(artifact, 'helm upgrade --install falco falcosecurity/falco -f values.yaml') + stringify(helmValues(artifact, options));
}

export function header(artifact: PinnedArtifact, usage: string): string {
  return `# ${artifact.environment}: ${artifact.repository}:${artifact.version} (${artifact.digest})\n# ${usage}\n`;
}
