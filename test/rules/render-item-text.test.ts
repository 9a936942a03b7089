import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderItemText, stringifyItemText } from '../../src/rules/render-item-text.js';
import { LATEST_TRIO, missingUpstream, readUpstream } from '../helpers/shared.js';
import { expectSameTextAsStringifier } from './render-item-text-support.js';

describe('renderItemText', () => {
  it('writes a rule as the stringifier does: plain text, literal blocks, flow sequences, nested exceptions', () => {
    const rule = {
      rule: 'Read sensitive file',
      desc: "an attempt to read a file's contents: see \"docs\"",
      condition: 'open_read and\n  fd.name in (sensitive_files)\n\nand not proc.name = x\n',
      output: 'File opened (user=%user.name file=%fd.name)',
      priority: 'WARNING',
      enabled: false,
      tags: ['host', 'T1555', 'mitre_credential_access'],
      exceptions: [{ name: 'readers', fields: ['proc.name', 'fd.name'], comps: ['=', 'startswith'], values: [['backup', '/etc/'], []] }],
      capture_duration: 5000,
      override: { condition: 'replace' },
    };
    const text = renderItemText(rule);
    expect(text).toBe(stringifyItemText(rule));
    expect(text).toContain('  condition: |\n    open_read and\n      fd.name in (sensitive_files)\n\n    and not proc.name = x\n');
    expect(text).toContain("      values: [ [ backup, /etc/ ], [] ]\n");
    expect(parse(text!)).toEqual([rule]);
  });

  it('quotes what would read as another type or as YAML syntax, as the stringifier does', () => {
    for (const value of ['8080', 'true', 'null', '', '1.5e3', '- x', 'a: b', 'x #y', 'trailing ', '"(systemd)"', "it's", '%x', '[a]', 'a,b', '---', 'a\n---']) {
      const item = { list: 'l', items: [value], name: value };
      const text = renderItemText(item);
      if (text !== undefined) expect(text, JSON.stringify(value)).toBe(stringifyItemText(item));
      expect(parse(text ?? stringifyItemText(item))).toEqual([item]);
    }
  });

  it('declines what it does not write itself: control characters, multi-line text in a flow sequence, leading blanks, fractions', () => {
    expect(renderItemText({ macro: 'm', condition: 'a\rb' })).toBeUndefined();
    expect(renderItemText({ list: 'l', items: ['a\nb'] })).toBeUndefined();
    expect(renderItemText({ macro: 'm', condition: '  indented\nblock' })).toBeUndefined();
    expect(renderItemText({ macro: 'm', condition: 'two\nfinal newlines\n\n' })).toBeUndefined();
    expect(renderItemText({ rule: 'r', capture_duration: 1.5 })).toBeUndefined();
    expect(renderItemText({ rule: 'r', override: {} })).toBeUndefined();
  });

  it('gives the stringifier\'s text whenever it does not decline (random items of a rules file\'s shapes)', () => {
    const text = fc
      .array(fc.constantFrom('a', 'proc.name', ' ', '  ', '\n', '\t', ':', ': ', '#', ' #', "'", '"', '-', '?', ',', '[', ']', '{', '%', '---', '1', '.5', 'true', 'null', '\r', '|', '>', '*', '&', '!', '~', 'é', '\u2028', '\ufeff', '\u00a0', '\u0085', ' - ', '? '), {
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    const item = fc.record({
      rule: text,
      condition: text,
      enabled: fc.boolean(),
      tags: fc.array(text, { maxLength: 3 }),
      exceptions: fc.array(fc.record({ name: text, fields: fc.array(text, { maxLength: 2 }), values: fc.array(fc.array(text, { maxLength: 2 }), { maxLength: 2 }) }), { maxLength: 2 }),
      capture_duration: fc.integer(),
    });
    let written = 0;
    fc.assert(
      fc.property(item, (generated) => {
        const fast = renderItemText(generated);
        if (fast === undefined) return;
        written += 1;
        expect(fast).toBe(stringifyItemText(generated));
      }),
      { numRuns: 3000 },
    );
    expect(written).toBeGreaterThan(300);
  });

  describe.skipIf(missingUpstream(...LATEST_TRIO))('the newest upstream trio', () => {
    it('is written item for item as the stringifier writes it', () => {
      const counts = expectSameTextAsStringifier(LATEST_TRIO.map((file) => readUpstream(file).text));
      expect(counts.written).toBeGreaterThan(500);
    });
  });
});
