/** `s` as one POSIX shell word, always single-quoted (an embedded quote closes, escapes and reopens). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** `s` as one POSIX shell word, quoted only when it holds more than plain path characters (for text people read). */
export function shellWord(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : shellQuote(s);
}
