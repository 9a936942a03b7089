import { expect } from 'vitest';
import { parse } from 'yaml';
import { mergeRulesFiles, readRulesFile, renderRulesFile } from '../../src/rules/index.js';
import { renderItemText, stringifyItemText } from '../../src/rules/render-item-text.js';

/**
 * Every item of each rules file, as read and as rendered after a merge, written both ways: the
 * direct writer's text, whenever it does not decline, is the stringifier's byte for byte.
 */
export function expectSameTextAsStringifier(texts: string[]): { written: number; declined: number } {
  let written = 0;
  let declined = 0;
  texts.forEach((text, i) => {
    const rendered = renderRulesFile(mergeRulesFiles([readRulesFile({ path: `file-${i}.yaml`, text })]));
    for (const item of [...asItems(parse(text)), ...asItems(parse(rendered))]) {
      const direct = renderItemText(item);
      if (direct === undefined) declined += 1;
      else {
        written += 1;
        expect(direct).toBe(stringifyItemText(item));
      }
    }
  });
  return { written, declined };
}

function asItems(doc: unknown): Record<string, unknown>[] {
  return Array.isArray(doc) ? doc.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item)) : [];
}
