import type { PinMode, PinnedArtifact } from './model.js';

/** Splits "host/path" at the first slash; a repository always carries its registry host. */
export function splitHost(repository: string): { host: string; path: string } {
  const slash = repository.indexOf('/');
  return { host: repository.slice(0, slash), path: repository.slice(slash + 1) };
}

/** "host/path:version" or "host/path@sha256:…", as falcoctl takes a ref. */
export function artifactRef(artifact: PinnedArtifact, pin: PinMode): string {
  return pin === 'digest' ? `${artifact.repository}@${artifact.digest}` : `${artifact.repository}:${artifact.version}`;
}
