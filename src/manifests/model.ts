/** The three delivery paths `manifests` writes for. */
export const DELIVERY_TARGETS = ['helm', 'operator', 'falcoctl'] as const;
export type DeliveryTarget = (typeof DELIVERY_TARGETS)[number];

/** Whether refs name the version tag (followers see nothing new until the next release) or the immutable digest. */
export type PinMode = 'version' | 'digest';

/** One environment's published artifact, as the manifests pin it. */
export interface PinnedArtifact {
  environment: string;
  /** "host/path" of the repository. */
  repository: string;
  version: string;
  /** sha256:… of the manifest. */
  digest: string;
  /** Name of the rules file inside the artifact. */
  rulesFileName: string;
}

export interface ManifestOptions {
  pin: PinMode;
  /** Kubernetes Secret with `username` and `password` keys, for a private registry; null for anonymous pulls. */
  pullSecret: string | null;
  /** falcoctl follow interval, a Go duration such as "6h". */
  followEvery: string;
  /** Registry hosts reached over plain HTTP (a local mirror). */
  plainHttp: boolean;
}

/** One file to write, relative to the output folder. */
export interface ManifestFile {
  path: string;
  content: string;
}
