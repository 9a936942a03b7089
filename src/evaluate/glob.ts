/**
 * `glob`/`iglob` follow fnmatch(3) with no flags (libs sinsp_utils::glob_match): `*` and `?` also
 * match `/`, `[...]`/`[!...]` are bracket expressions, `\` escapes. picomatch treats `/` as a
 * separator, hence this small translator.
 */
export function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRegExp(pattern[++i] as string);
    else if (c === '[') {
      const end = bracketEnd(pattern, i);
      if (end < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        let negate = false;
        if (body.startsWith('!') || body.startsWith('^')) {
          negate = true;
          body = body.slice(1);
        }
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
        i = end;
      }
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, caseInsensitive ? 'is' : 's');
}

function bracketEnd(pattern: string, open: number): number {
  let j = open + 1;
  if (pattern[j] === '!' || pattern[j] === '^') j++;
  if (pattern[j] === ']') j++;
  const close = pattern.indexOf(']', j);
  return close;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
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
