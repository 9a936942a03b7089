import { describe, expect, it } from 'vitest';
import { decodeRulesFileBytes, readRulesFile } from '../../src/rules/read-rules-file.js';

const read = (text: string) => readRulesFile({ path: 'h.yaml', text });

describe('hostile input', () => {
  it('malformed YAML is one LOAD_ERR_YAML_PARSE with its position', () => {
    const f = read('- rule: a\n  desc: "unterminated\n  condition: x\n');
    expect(f.items).toEqual([]);
    expect(f.diagnostics.map((d) => [d.code, d.severity, d.location.file])).toEqual([['LOAD_ERR_YAML_PARSE', 'error', 'h.yaml']]);
    expect(f.diagnostics[0]!.location.line).toBeGreaterThanOrEqual(2);
  });

  it('an alias bomb is refused with a clear error at the alias', () => {
    const levels = ['&a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) levels.push(`&a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const text = `- anchors: [${levels.join(', ')}]\n- rule: r\n  desc: d\n  condition: c\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [f]\n      values: *a9\n`;
    const f = read(text);
    expect(f.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message, d.location.line, d.location.column])).toEqual([
      ['LOAD_ERR_YAML_PARSE', 'Excessive alias count indicates a resource exhaustion attack', 10, 15],
    ]);
  });

  it('aliases within budget resolve like their anchors', () => {
    const f = read('- list: a\n  items: &shells [bash, sh]\n- list: b\n  items: *shells\n');
    expect(f.diagnostics).toEqual([]);
    expect(f.items.map((i) => (i.kind === 'list' ? i.items : []))).toEqual([['bash', 'sh'], ['bash', 'sh']]);
  });

  it('very deep nesting is one clear error, not a crash', () => {
    const f = read(`- list: a\n  items: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]!.code).toMatch(/^LOAD_ERR_/);
    expect(f.diagnostics[0]!.location.line).toBe(2);
  });

  it('a 50 MB file is refused before parsing, with the size in the message', () => {
    const item = '- list: l\n  items: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n';
    const text = item.repeat(Math.ceil((50 * 1024 * 1024) / item.length));
    const f = read(text);
    expect(f.diagnostics.map((d) => [d.code, d.message, d.location.line])).toEqual([
      ['LOAD_ERR_FILE_READ', `File is too large to load: ${text.length} characters (limit 16777216)`, 1],
    ]);
  });

  it('non-UTF-8 bytes give LOAD_ERR_FILE_READ at the first invalid byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('- list: l\n  items: [é, '), 0xff, 0x41, ...new TextEncoder().encode(']\n')]);
    expect(decodeRulesFileBytes('h.yaml', bytes)).toEqual({
      code: 'LOAD_ERR_FILE_READ',
      severity: 'error',
      itemType: 'rules content',
      itemName: '',
      message: 'File is not valid UTF-8: invalid byte 0xff at byte offset 24',
      location: { file: 'h.yaml', line: 2, column: 14 },
    });
    expect(decodeRulesFileBytes('h.yaml', new TextEncoder().encode('- list: l\n'))).toEqual({ path: 'h.yaml', text: '- list: l\n' });
  });

  it('a truncated multi-byte sequence at the end is reported at its first byte', () => {
    const result = decodeRulesFileBytes('h.yaml', new Uint8Array([0x61, 0x0a, 0xe2, 0x82]));
    expect(result).toMatchObject({ code: 'LOAD_ERR_FILE_READ', location: { file: 'h.yaml', line: 2, column: 1 } });
  });
});
