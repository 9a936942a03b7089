/**
 * A number per distinct sequence of names (the names of a merged table, in order). Environments
 * over the same files mostly ask for the same sequence again, so one equal to the last asked for
 * under the same `kind` is recognised name by name, without building and hashing its key.
 */
export class NameSequences {
  private readonly ids = new Map<string, number>();
  private readonly last = new Map<string, { names: string[]; id: number }>();

  /** `nextId` numbers new sequences, so they can share a numbering with other keys (default: 0, 1, 2, …). */
  constructor(private readonly nextId: () => number = () => this.ids.size) {}

  idOf(kind: string, names: Iterable<string>): number {
    const sequence = [...names];
    const last = this.last.get(kind);
    if (last !== undefined && sameNames(last.names, sequence)) return last.id;
    const key = JSON.stringify(sequence);
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.nextId()));
    this.last.set(kind, { names: sequence, id });
    return id;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
