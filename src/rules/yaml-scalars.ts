/**
 * Scalar conversions as Falco's YAML library (yaml-cpp) performs them (docs/falco-rules-semantics.md
 * §1.2): YAML 1.1 booleans from the raw text, unsigned 32-bit integers, null spellings, priorities and
 * the engine-version string form.
 */
import { PRIORITIES, type Priority } from './model.js';

const TRUE_NAMES = new Set(['y', 'yes', 'true', 'on']);
const FALSE_NAMES = new Set(['n', 'no', 'false', 'off']);

/** yaml-cpp's plain null spellings (an empty plain scalar is null too). */
export function isNullSpelling(text: string): boolean {
  return text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL';
}

/** yaml-cpp `convert<bool>`: y/yes/true/on and n/no/false/off, all lower, ALL UPPER or Capitalised. */
export function decodeBool(text: string): boolean | undefined {
  if (!isFlexibleCase(text)) return undefined;
  const lower = text.toLowerCase();
  if (TRUE_NAMES.has(lower)) return true;
  if (FALSE_NAMES.has(lower)) return false;
  return undefined;
}

function isFlexibleCase(text: string): boolean {
  if (text === '' || text === text.toLowerCase()) return true;
  const first = text[0];
  const rest = text.slice(1);
  return first !== first.toLowerCase() && (rest === rest.toLowerCase() || rest === rest.toUpperCase());
}

const UINT_FORM = /^\+?(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))[ \t\n\r\f\v]*$/;

/**
 * yaml-cpp `convert<uint32_t>`: a stream read with base prefixes (0x hex, 0 octal), no leading blanks,
 * no minus sign, trailing blanks allowed, and the value must fit.
 */
export function decodeUint32(text: string): number | undefined {
  const m = UINT_FORM.exec(text);
  if (!m) return undefined;
  const value = m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? (m[2] === '' ? 0 : parseInt(m[2], 8)) : Number(m[3]);
  return Number.isFinite(value) && value <= 0xffffffff ? value : undefined;
}

/** Falco's priority names, matched case-insensitively, plus the `info` alias (§1.8). */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.toLowerCase();
  if (lower === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === lower);
}

/** sinsp_version: three unsigned integers read scanf-style as "x.y.z"; trailing text is ignored. */
export function parseVersionTriple(text: string): [number, number, number] | undefined {
  const m = /^[ \t\n\r\f\v]*\+?(\d+)\.[ \t\n\r\f\v]*\+?(\d+)\.[ \t\n\r\f\v]*\+?(\d+)/.exec(text);
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number];
  return parts.every((p) => p <= 0xffffffff) ? parts : undefined;
}
