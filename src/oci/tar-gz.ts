import { gzipSync } from 'node:zlib';
import { compareStrings } from '../config/compare-paths.js';

/**
 * A deterministic gzip'd tar of plain files. Written here rather than with tar-stream because
 * tar-stream only packs through async streams and packing must be a pure, synchronous function.
 * Every entry: ustar, mode 0644, uid/gid 0, no owner names, mtime 0; entries sorted by name.
 */
export function packTarGz(files: { name: string; bytes: Uint8Array }[]): Uint8Array {
  const sorted = [...files].sort((a, b) => compareStrings(a.name, b.name));
  const parts: Buffer[] = [];
  for (const f of sorted) {
    parts.push(tarHeader(f.name, f.bytes.byteLength));
    parts.push(Buffer.from(f.bytes));
    const pad = (512 - (f.bytes.byteLength % 512)) % 512;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return fixedGzip(Buffer.concat(parts));
}

/** gzip with a zero mtime (zlib's default) and the OS byte forced to 3 (Unix) on every platform. */
export function fixedGzip(bytes: Uint8Array): Uint8Array {
  const out = gzipSync(bytes, { level: 9 });
  out[4] = 0;
  out[5] = 0;
  out[6] = 0;
  out[7] = 0;
  out[9] = 3;
  return out;
}

/** Names a ustar header can hold without extensions: plain, ASCII, at most 100 bytes. */
export function isPlainTarName(name: string): boolean {
  return /^[A-Za-z0-9._-]{1,100}$/.test(name) && name !== '.' && name !== '..';
}

function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'ascii');
  h.write(octal(0o644, 7), 100, 'ascii');
  h.write(octal(0, 7), 108, 'ascii');
  h.write(octal(0, 7), 116, 'ascii');
  h.write(octal(size, 11), 124, 'ascii');
  h.write(octal(0, 11), 136, 'ascii');
  h.fill(' ', 148, 156);
  h.write('0', 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  h.write(octal(0, 7), 329, 'ascii');
  h.write(octal(0, 7), 337, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return h;
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width, '0')}\u0000`;
}
