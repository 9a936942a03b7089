/** The cosign identity GitHub Actions keyless signing gives a repository's workflows, as falcoctl index entries record it. */
import type { CosignIdentity } from '../oci/index.js';

export function githubActionsSignature(serverUrl: string, repository: string): CosignIdentity {
  return {
    certificateOidcIssuer: 'https://token.actions.githubusercontent.com',
    certificateIdentityRegexp: `${serverUrl.replace(/\/+$/, '')}/${repository}/`,
  };
}
