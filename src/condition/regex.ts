/**
 * `regex` as libs compiles it: RE2 with `RE2::POSIX` options (egrep syntax, leftmost-longest), matched
 * with ANCHOR_BOTH. re2js is a port of RE2: linear-time matching, so an attacker-shaped value cannot
 * make a pattern such as `(a+)+$` take exponential time.
 */
import { RE2JS, RE2JSException } from 're2js';

export type RegexResult = { ok: true; test: (value: string) => boolean } | { ok: false; message: string };

/** Parser flags: RE2's POSIX syntax keeps ClassNL (`[^a]` matches a newline), as C++ RE2 sets it always. */
const CLASS_NL = 4;

/** re2js exposes only Perl syntax; its RE2 class (reached through a compiled pattern) parses POSIX syntax too. */
type Re2 = RE2JS['re2Input'];
const RE2 = RE2JS.compile('').re2Input.constructor as unknown as { compileImpl(expr: string, mode: number, longest: boolean): Re2 };

/** re2js reports Go's regexp/syntax texts; Falco prints RE2's (C++) ones. */
const RE2_CODE_TEXT: Record<string, string> = {
  'invalid named capture': 'invalid named capture group',
  'invalid nested repetition operator': 'bad repetition operator',
  'invalid or unsupported Perl syntax': 'invalid perl operator',
  'invalid repeat count': 'invalid repetition size',
  'missing argument to repetition operator': 'no argument for repetition operator',
  'missing closing )': 'missing )',
  'missing closing ]': 'missing ]',
  'trailing backslash at end of expression': 'trailing \\',
  'expression too large': 'pattern too large - compile failed',
};

/** RE2's status text: code text, then `: ` and the offending part when there is one. */
function re2ErrorText(err: RE2JSException): string {
  const message = err.message.replace(/^error parsing regexp: /, '');
  for (const [go, cpp] of Object.entries(RE2_CODE_TEXT)) {
    if (message.startsWith(go)) return cpp + message.slice(go.length).replace(/^: `([\s\S]*)`$/, ': $1');
  }
  return message.replace(/: `([\s\S]*)`$/, ': $1');
}

/** Compiles a `regex` right-hand side; the error is libs' "invalid regex pattern: …". */
export function compileRegex(pattern: string): RegexResult {
  let re2: Re2;
  try {
    re2 = RE2.compileImpl(pattern, CLASS_NL, true);
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    return { ok: false, message: `invalid regex pattern: ${re2ErrorText(err)}` };
  }
  const matcher = RE2JS.compile('');
  matcher.re2Input = re2;
  return { ok: true, test: (value) => matcher.testExact(value) };
}
