interface Claim {
  repository: string;
  settled: Promise<void>;
  settle: () => void;
}

/**
 * Which repository of one registry holds each blob, shared by the publishes of one run so a blob
 * shared by several artifacts goes up once and the others mount it. A publish claims the blobs
 * nobody holds or claimed yet when it starts; a publish into another repository that needs a
 * claimed blob waits until the claim settles, then mounts from its holder (or uploads it itself if
 * the claiming publish failed). Claims are taken synchronously at the start of a publish, so a
 * publish only ever waits for one that started before it: no cycle, hence no deadlock.
 */
export class BlobLedger {
  private readonly holders = new Map<string, string>();
  private readonly claims = new Map<string, Claim>();

  /** Claims for `repository` the digests nobody holds or claimed; the returned function settles whatever it claimed and is still pending. */
  claim(repository: string, digests: readonly string[]): () => void {
    const taken: string[] = [];
    for (const digest of digests) {
      if (this.holders.has(digest) || this.claims.has(digest)) continue;
      let settle = (): void => undefined;
      const settled = new Promise<void>((resolve) => {
        settle = resolve;
      });
      this.claims.set(digest, { repository, settled, settle });
      taken.push(digest);
    }
    return () => {
      for (const digest of taken) this.settle(digest, repository);
    };
  }

  /**
   * The repository (other than `repository`) known to hold the blob, after waiting for another
   * repository's pending claim on it; null when none does.
   */
  async holderFor(digest: string, repository: string): Promise<string | null> {
    const claim = this.claims.get(digest);
    if (claim && claim.repository !== repository) await claim.settled;
    const holder = this.holders.get(digest);
    return holder !== undefined && holder !== repository ? holder : null;
  }

  /** `repository` now holds the blob (uploaded, mounted or already there); settles its claim on it. */
  record(digest: string, repository: string): void {
    if (!this.holders.has(digest)) this.holders.set(digest, repository);
    this.settle(digest, repository);
  }

  private settle(digest: string, repository: string): void {
    const claim = this.claims.get(digest);
    if (!claim || claim.repository !== repository) return;
    this.claims.delete(digest);
    claim.settle();
  }
}
