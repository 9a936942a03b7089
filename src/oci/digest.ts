import { createHash } from 'node:crypto';
import { OciError } from './errors.js';
import type { Descriptor } from './store.js';

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function describeBytes(mediaType: string, bytes: Uint8Array, annotations?: Record<string, string>): Descriptor {
  const d: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.byteLength };
  if (annotations) d.annotations = annotations;
  return d;
}

/** Raises `digest-mismatch` unless the bytes are exactly what the descriptor says. */
export function verifyContent(d: Descriptor, bytes: Uint8Array, where: string): void {
  if (bytes.byteLength !== d.size) {
    throw new OciError({ kind: 'digest-mismatch', message: `${where}: ${d.digest} has ${bytes.byteLength} bytes, expected ${d.size}` });
  }
  const actual = sha256Digest(bytes);
  if (actual !== d.digest) throw new OciError({ kind: 'digest-mismatch', message: `${where}: content hashes to ${actual}, expected ${d.digest}` });
}

/** JSON with keys sorted at every level and no whitespace, so equal values give equal bytes. */
export function canonicalJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(sortKeys(value)), 'utf8');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
