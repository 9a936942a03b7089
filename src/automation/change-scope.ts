/** Which places a pull request touched, for listing only the problems a reviewer can act on. */
import type { Loc } from '../diagnostics/index.js';
import type { ChangedLines } from '../git/index.js';
import type { RulesFile } from '../rules/index.js';

/**
 * The changed lines, widened to every rules item that has one: a finding sits on the item's first
 * line while the change may be on its condition or tags. An item runs to the line before the next.
 */
export function changeScope(changed: ChangedLines, files: readonly RulesFile[]): (loc: Loc) => boolean {
  const ranges = new Map<string, Array<[number, number]> | 'all'>();
  for (const [path, lines] of changed) ranges.set(path, lines === 'all' ? 'all' : [...lines]);
  for (const file of files) {
    const lines = changed.get(file.path);
    if (lines === undefined || lines === 'all') continue;
    const widened = ranges.get(file.path) as Array<[number, number]>;
    file.items.forEach((item, i) => {
      const span: [number, number] = [item.loc.line, (file.items[i + 1]?.loc.line ?? Number.MAX_SAFE_INTEGER) - 1];
      if (lines.some(([from, to]) => from <= span[1] && to >= span[0])) widened.push(span);
    });
  }
  return (loc) => {
    const lines = ranges.get(loc.file);
    return lines === 'all' || (lines !== undefined && lines.some(([from, to]) => loc.line >= from && loc.line <= to));
  };
}
