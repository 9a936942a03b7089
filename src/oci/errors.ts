/**
 * Errors of the OCI layer. Registry failures keep the request that failed (method, URL without
 * credentials, status, the registry's error codes), as oras-go's errcode does. Store operations
 * raise `OciError`; `publish` and `pull` catch it once and return it as a value.
 */
export type OciErrorKind =
  | 'request' // the registry answered with an unexpected status
  | 'network' // connection refused, reset, or timed out
  | 'auth' // no usable credentials, or the registry refused them
  | 'digest-mismatch' // content does not hash to its descriptor
  | 'invalid-content' // a manifest, config or archive is not what a rulesfile artifact must be
  | 'immutable-version' // the version tag already points at a different digest
  | 'tool'; // an external tool (oras, docker-credential-*) failed

export interface RegistryErrorCode {
  code: string;
  message: string;
}

export interface OciErrorData {
  kind: OciErrorKind;
  message: string;
  method?: string;
  url?: string;
  status?: number;
  codes?: RegistryErrorCode[];
}

export class OciError extends Error {
  readonly kind: OciErrorKind;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly codes: RegistryErrorCode[];

  constructor(data: OciErrorData, options?: { cause?: unknown }) {
    super(describe(data), options);
    this.name = 'OciError';
    this.kind = data.kind;
    this.method = data.method;
    this.url = data.url;
    this.status = data.status;
    this.codes = data.codes ?? [];
  }

  toJSON(): OciErrorData {
    const out: OciErrorData = { kind: this.kind, message: this.message };
    if (this.method) out.method = this.method;
    if (this.url) out.url = this.url;
    if (this.status !== undefined) out.status = this.status;
    if (this.codes.length > 0) out.codes = this.codes;
    return out;
  }
}

function describe(d: OciErrorData): string {
  const request = d.method && d.url ? `${d.method} ${d.url}` : '';
  const status = d.status !== undefined ? ` -> ${d.status}` : '';
  const codes = (d.codes ?? []).map((c) => `${c.code}${c.message ? ` (${c.message})` : ''}`).join(', ');
  const head = request ? `${request}${status}: ` : '';
  return `${head}${d.message}${codes ? `: ${codes}` : ''}`;
}

/** Turns anything caught at the boundary into an OciError, keeping the original as `cause`. */
export function toOciError(err: unknown, fallback: Omit<OciErrorData, 'message'> & { message?: string }): OciError {
  if (err instanceof OciError) return err;
  const message = fallback.message ?? (err instanceof Error ? err.message : String(err));
  return new OciError({ ...fallback, message }, { cause: err });
}

/** Parses a distribution error body: {"errors":[{"code":"…","message":"…"}]}. */
export function parseRegistryErrors(body: string): RegistryErrorCode[] {
  if (!body) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // not JSON: registries and proxies may answer with HTML; there are no codes to report
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || !('errors' in parsed) || !Array.isArray(parsed.errors)) return [];
  const out: RegistryErrorCode[] = [];
  for (const e of parsed.errors as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const code = 'code' in e && typeof e.code === 'string' ? e.code : 'UNKNOWN';
    const message = 'message' in e && typeof e.message === 'string' ? e.message : '';
    out.push({ code, message });
  }
  return out;
}
