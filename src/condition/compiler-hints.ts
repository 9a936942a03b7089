/** LOAD_COMPILE_CONDITION: the warnings libs' filter compiler adds for constant values (§8.2). */
import type { Expr, Span } from './ast.js';
import { lookupField, type FieldCatalog } from './catalog/index.js';
import { checksOf } from './validate-filter.js';

const REGEX_SPECIAL = '.+*?^$()[]{}|\\';
const REGEX_OCCURRENCE = '+*?';
const FIELD_SHAPE = /^[A-Za-z][A-Za-z0-9_]*\./;
const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt', 'val'];

export interface CompilerHint {
  message: string;
  span: Span;
}

/** True when a regex value has no special character apart from anchors and leading/trailing `.*`, `.+`, `.?`. */
function isSimpleRegex(v: string): boolean {
  const len = v.length;
  for (let i = 0; i < len; i++) {
    const c = v[i] ?? '';
    if ((i === 0 && c === '^') || (i === len - 1 && c === '$')) continue;
    if (((i === 0 && len > 1) || i === len - 2) && c === '.' && REGEX_OCCURRENCE.includes(v[i + 1] ?? '\0')) {
      i++;
      continue;
    }
    if (REGEX_SPECIAL.includes(c)) return false;
  }
  return true;
}

/** The field the value would name, split like libs splits `name[arg]`. */
function isValidField(text: string, source: string, catalog: FieldCatalog): boolean {
  // Every catalog field is `word.word…`; most constants (paths, names) fail this before any lookup.
  if (!FIELD_SHAPE.test(text)) return false;
  const open = text.indexOf('[');
  const [name, arg] = open > 0 && text.endsWith(']') ? [text.slice(0, open), text.slice(open + 1, -1)] : [text, undefined];
  return lookupField(catalog, source, name, arg).ok;
}

function hintsFor(op: string, v: string, span: Span, source: string, catalog: FieldCatalog): CompilerHint[] {
  const hints: CompilerHint[] = [];
  const nospaces = v.replace(/[ \t\n\v\f\r]/g, '');
  if (op === 'regex' && isSimpleRegex(v)) {
    hints.push({
      message: `regex check with '${v}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`,
      span,
    });
  }
  if (isValidField(nospaces, source, catalog)) {
    hints.push({ message: `'${v}' may be a valid field misused as a const string value`, span });
  }
  for (const t of TRANSFORMERS) {
    if (nospaces.length >= t.length + 2 && nospaces.startsWith(t) && nospaces[t.length] === '(' && nospaces.endsWith(')')) {
      hints.push({ message: `'${v}' may be a valid field transformer misused as a const string value`, span });
    }
  }
  return hints;
}

/** Falco's compiler hints for a rule's compiled condition, in check order, at the right-hand operand. */
export function compilerHints(expr: Expr, catalog: FieldCatalog, source = 'syscall'): CompilerHint[] {
  const hints: CompilerHint[] = [];
  for (const c of checksOf(expr)) {
    if (c.kind !== 'binary-check') continue;
    const r = c.right;
    const values = r.kind === 'value' ? [r.value] : r.kind === 'list' ? r.items.map((i) => i.value) : [];
    for (const v of values) hints.push(...hintsFor(c.op, v, r.span, source, catalog));
  }
  return hints;
}
