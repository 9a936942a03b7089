/**
 * Removes secrets from a line of text before it is shown anywhere: every known secret value (and
 * its base64 forms as used in Basic auth), credentials embedded in URLs, and Authorization headers.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  const values = [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  for (const secret of values) out = out.split(secret).join('***');
  out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
  out = out.replace(/(authorization:\s*)(basic|bearer)?\s*[^\s,"]+/gi, (_m, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ''}***`);
  out = out.replace(/([?&](?:access_token|token|password)=)[^&\s"]+/gi, '$1***');
  return out;
}

/** The set of secret values one client knows; every line it produces is redacted with it. */
export class SecretSet {
  private readonly values = new Set<string>();

  add(secret: string | undefined): void {
    if (!secret) return;
    this.values.add(secret);
  }

  /** Adds a username/password pair and the base64 form Basic auth sends. */
  addCredentials(username: string, password: string): void {
    this.add(password);
    this.add(Buffer.from(`${username}:${password}`).toString('base64'));
  }

  redact(text: string): string {
    return redact(text, this.values);
  }
}
