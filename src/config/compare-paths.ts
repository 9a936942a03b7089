/** Byte-wise (UTF-8) order, so results never depend on locale or file-system order. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortPaths(paths: Iterable<string>): string[] {
  return [...paths].sort(comparePaths);
}
