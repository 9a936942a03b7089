/** A content descriptor, as in the OCI image spec. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/**
 * Where artifacts live: a registry repository, an OCI layout directory, or an `oras` CLI. The same
 * interface for each, as oras-go's content.Storage + Target.
 */
export interface Store {
  /** A short label for messages, e.g. "127.0.0.1:5000/rules" or "oci:out/oci". */
  readonly label: string;
  exists(d: Descriptor): Promise<boolean>;
  /** Checks size and digest before returning. */
  fetch(d: Descriptor): Promise<Uint8Array>;
  push(d: Descriptor, bytes: Uint8Array): Promise<void>;
  /** A tag or digest to the manifest's descriptor; `null` when it does not exist. */
  resolve(ref: string): Promise<Descriptor | null>;
  tag(d: Descriptor, tag: string): Promise<void>;
  listTags(): AsyncIterable<string>;
}

/** A store that can mount a blob from another repository of the same registry. */
export interface MountingStore extends Store {
  /** The repository path inside its registry, e.g. "acme/rules". */
  readonly repository: string;
  mount(d: Descriptor, fromRepository: string): Promise<boolean>;
}

export function canMount(store: Store): store is MountingStore {
  return typeof (store as Partial<MountingStore>).mount === 'function';
}

/** How a blob push went: uploaded, already present, or mounted from another repository. */
export type BlobOutcome = 'uploaded' | 'present' | 'mounted';
