/** Turning a rules file's bytes into text: strict UTF-8, or one diagnostic at the first invalid byte. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { SourceFile } from './model.js';

export function decodeRulesFileBytes(path: string, bytes: Uint8Array): SourceFile | Diagnostic {
  try {
    return { path, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (cause) {
    if (!(cause instanceof TypeError)) throw new Error(`Decoding ${path} failed`, { cause });
    const offset = firstInvalidByte(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.split('\n').length;
    const byte = bytes[offset] ?? 0;
    return {
      code: 'LOAD_ERR_FILE_READ',
      severity: 'error',
      itemType: 'rules content',
      itemName: '',
      message: `File is not valid UTF-8: invalid byte 0x${byte.toString(16).padStart(2, '0')} at byte offset ${offset}`,
      location: { file: path, line, column: before.length - lineStart + 1 },
    };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
