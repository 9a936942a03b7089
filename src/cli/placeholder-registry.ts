/** The registry `init` writes into falco-gitops.yaml (templates/falco-gitops.yaml) until the team sets its own. */
export const PLACEHOLDER_REGISTRY = 'ghcr.io/example';

/** A line for stderr when an artifact would go to the placeholder registry: what to set instead. */
export function placeholderRegistryNote(repositories: readonly string[]): string | undefined {
  if (!repositories.some((r) => r.startsWith(`${PLACEHOLDER_REGISTRY}/`))) return undefined;
  return `note: ${PLACEHOLDER_REGISTRY} is the placeholder registry init wrote; set defaults.registry in falco-gitops.yaml to yours (e.g. ghcr.io/<owner>)\n`;
}
