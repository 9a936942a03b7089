import { stringify } from 'yaml';
import type { ManifestOptions, PinnedArtifact } from './model.js';
import { header } from './render-helm.js';
import { splitHost } from './references.js';

/** A Falco Operator Rulesfile (artifact.falcosecurity.dev/v1alpha1, the OCIArtifact shape of operator releases v0.2.0 to v0.4.1: image + registry) pulling this environment's artifact. */
export function operatorRulesfile(artifact: PinnedArtifact, options: ManifestOptions): Record<string, unknown> {
  const { host, path } = splitHost(artifact.repository);
  const registry: Record<string, unknown> = { name: host };
  if (options.pullSecret !== null) registry['auth'] = { secretRef: { name: options.pullSecret } };
  if (options.plainHttp) registry['plainHTTP'] = true;
  return {
    apiVersion: 'artifact.falcosecurity.dev/v1alpha1',
    kind: 'Rulesfile',
    metadata: { name: resourceName(artifact.environment), labels: { 'app.kubernetes.io/managed-by': 'falco-gitops' } },
    spec: {
      ociArtifact: {
        image: { repository: path, tag: options.pin === 'digest' ? artifact.digest : artifact.version },
        registry,
      },
    },
  };
}

export function renderOperatorRulesfile(artifact: PinnedArtifact, options: ManifestOptions): string {
  return header(artifact, 'kubectl apply -f rulesfile.yaml') + stringify(operatorRulesfile(artifact, options));
}

/** A kustomization listing the Rulesfile, so Flux Kustomizations and Argo CD can point at the folder. */
export function renderKustomization(): string {
  return stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['rulesfile.yaml'] });
}

/** An RFC 1123 name: environment names are already [a-z0-9-], cluster names joined with "-". */
export function resourceName(environment: string): string {
  const name = environment
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return name === '' ? 'rules' : name;
}
