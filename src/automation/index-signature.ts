/** The `signature` block of a falcoctl index entry: how followers verify a cosign keyless signature. */
import { parse, stringify } from 'yaml';

export interface CosignSignature {
  /** e.g. https://token.actions.githubusercontent.com */
  certificateOidcIssuer: string;
  /** e.g. ^https://github.com/acme/rules/ (the workflow identity that signed). */
  certificateIdentityRegexp: string;
}

/** The identity GitHub Actions keyless signing gives a repository's workflows. */
export function githubActionsSignature(serverUrl: string, repository: string): CosignSignature {
  return {
    certificateOidcIssuer: 'https://token.actions.githubusercontent.com',
    certificateIdentityRegexp: `${serverUrl.replace(/\/+$/, '')}/${repository}/`,
  };
}

/**
 * Sets (or, with null, removes) `signature.cosign` on the named entries of index YAML text, placed
 * after `repository` as falcoctl's own index lists it; other entries are kept as they are.
 */
export function addIndexSignatures(indexText: string, names: readonly string[], signature: CosignSignature | null): string {
  const entries: unknown = parse(indexText) ?? [];
  if (!Array.isArray(entries)) throw new Error('index text must be a YAML list (updateIndexFile produced it)');
  const wanted = new Set(names);
  const out = entries.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || !wanted.has(String((entry as { name?: unknown }).name))) return entry;
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'signature') continue;
      result[k] = v;
      if (k === 'repository' && signature !== null) {
        result.signature = { cosign: { 'certificate-oidc-issuer': signature.certificateOidcIssuer, 'certificate-identity-regexp': signature.certificateIdentityRegexp } };
      }
    }
    return result;
  });
  return stringify(out, { lineWidth: 0 });
}
