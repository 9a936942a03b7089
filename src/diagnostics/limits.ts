/** Rules, configuration and test files larger than this are refused before reading: Falco's own defaults are ~200 KB. */
export const MAX_RULES_FILE_BYTES = 16 * 1024 * 1024;

/** The refusal for a file of `bytes` over the limit, in one wording wherever it is checked. */
export function fileSizeRefusal(path: string, bytes: number): string | undefined {
  return bytes > MAX_RULES_FILE_BYTES ? `'${path}' is ${bytes} bytes, more than the ${MAX_RULES_FILE_BYTES}-byte limit for a rules file` : undefined;
}
