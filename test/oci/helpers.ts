import type { ArtifactInput } from '../../src/oci/index.js';

export function sampleInput(over: Partial<ArtifactInput> = {}): ArtifactInput {
  return {
    environment: 'production',
    repository: 'ghcr.io/acme/falco-rules-production',
    version: '1.7.0',
    rulesFileName: 'falco-rules-production.yaml',
    rulesFile: Buffer.from('- required_engine_version: 0.26.0\n- list: shells\n  items: [bash, sh]\n'),
    requiredEngineVersion: '0.26.0',
    requiredPluginVersions: [{ name: 'k8saudit', version: '0.7.0', alternatives: [{ name: 'k8saudit-eks', version: '0.4.0' }] }],
    annotations: { source: 'https://github.com/acme/rules', revision: 'abc123', created: '2026-01-02T03:04:05Z' },
    ...over,
  };
}
