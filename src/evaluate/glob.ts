/**
 * `glob`/`iglob` follow fnmatch(3) with no flags (libs sinsp_utils::glob_match): `*` and `?` also
 * match `/`, `[...]`/`[!...]` are bracket expressions, `\` escapes; iglob folds ASCII case as
 * FNM_CASEFOLD does. Our own matcher because picomatch treats `/` as a separator and a RegExp
 * backtracks: this one keeps a single restart point per `*`, so a match costs at most
 * O(pattern × value) whatever the input.
 */
export function compileGlob(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const fold = caseInsensitive ? asciiFold : (c: number): number => c;
  const tokens = parseGlob(pattern, fold);
  return (value) => matchGlob(tokens, value, fold);
}

type GlobToken = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; code: number } | { kind: 'class'; negate: boolean; ranges: [number, number][] };

function asciiFold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function parseGlob(pattern: string, fold: (c: number) => number): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '\\' && i + 1 < pattern.length) tokens.push({ kind: 'char', code: fold(pattern.charCodeAt(++i)) });
    else if (c === '[' && bracketEnd(pattern, i) >= 0) {
      const end = bracketEnd(pattern, i);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      tokens.push({ kind: 'class', negate, ranges: classRanges(body, fold) });
      i = end;
    } else tokens.push({ kind: 'char', code: fold(pattern.charCodeAt(i)) });
  }
  return tokens;
}

/** `a-z` is a range (a reversed one matches nothing), any other character stands for itself. */
function classRanges(body: string, fold: (c: number) => number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let j = 0; j < body.length; j++) {
    const lo = body.charCodeAt(j);
    if (body[j + 1] === '-' && j + 2 < body.length) {
      const hi = body.charCodeAt(j + 2);
      ranges.push([lo, hi]);
      // with case folding, the range also matches the other case of its letters
      if (fold(lo) !== lo || fold(hi) !== hi || hasUpperInside(lo, hi)) ranges.push([fold(lo), fold(hi)]);
      j += 2;
    } else ranges.push([fold(lo), fold(lo)]);
  }
  return ranges;
}

function hasUpperInside(lo: number, hi: number): boolean {
  return lo <= 90 && hi >= 65;
}

function bracketEnd(pattern: string, open: number): number {
  let j = open + 1;
  if (pattern[j] === '!' || pattern[j] === '^') j++;
  if (pattern[j] === ']') j++;
  return pattern.indexOf(']', j);
}

function matchOne(token: GlobToken, code: number, fold: (c: number) => number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.code === fold(code);
    case 'class': {
      const c = fold(code);
      const inside = token.ranges.some(([lo, hi]) => (c >= lo && c <= hi) || (code >= lo && code <= hi));
      return inside !== token.negate;
    }
    case 'star':
      return false;
  }
}

function matchGlob(tokens: readonly GlobToken[], value: string, fold: (c: number) => number): boolean {
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const token = tokens[p];
    if (token !== undefined && token.kind === 'star') {
      starP = p++;
      starV = v;
    } else if (token !== undefined && matchOne(token, value.charCodeAt(v), fold)) {
      p++;
      v++;
    } else if (starP >= 0) {
      p = starP + 1;
      v = ++starV;
    } else return false;
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}

/** Path components of a prefix or path for `pmatch`; empty components are ignored. */
function pathComponents(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/**
 * `pmatch`: the path lies at or below one of the prefixes, comparing whole components
 * (libs path_prefix_search): `/etc` matches `/etc` and `/etc/passwd`, not `/etcx`.
 */
export function compilePathPrefixes(prefixes: readonly string[]): (path: string) => boolean {
  const lists = prefixes.map(pathComponents);
  const joined = lists.map((l) => `/${l.join('/')}`);
  const slow = (path: string): boolean => {
    const parts = pathComponents(path);
    for (const prefix of lists) {
      if (prefix.length > parts.length) continue;
      let ok = true;
      for (let i = 0; i < prefix.length; i++) {
        if (prefix[i] !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (ok) return true;
    }
    return false;
  };
  // A clean absolute path ("/a/b": no empty component) is compared as a string, without splitting it.
  return (path) => {
    if (path.charCodeAt(0) !== SLASH || path.includes('//') || (path.length > 1 && path.charCodeAt(path.length - 1) === SLASH)) return slow(path);
    for (const p of joined) {
      if (p.length === 1 || path === p || (path.startsWith(p) && path.charCodeAt(p.length) === SLASH)) return true;
    }
    return false;
  };
}

const SLASH = 47;
