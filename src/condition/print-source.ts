/**
 * Prints a condition as source text that parses back to the same tree (spans aside): the
 * fewest parentheses that keep every group a separate child, and values quoted wherever a bare
 * word would lex differently. Unlike printCanonical, nothing is lost.
 */
import type { BinaryCheck, Expr, FieldOperand, Literal, ListLiteral, RightOperand, TransformerArg } from './ast.js';
import { isBlank, scanBareString, scanFieldArgBare, scanNumeric } from './lexer.js';

export function printSource(expr: Expr): string {
  switch (expr.kind) {
    case 'and':
      return expr.operands.map((e) => (e.kind === 'and' || e.kind === 'or' ? `(${printSource(e)})` : printUnit(e))).join(' and ');
    case 'or':
      return expr.operands.map((e) => (e.kind === 'or' ? `(${printSource(e)})` : printUnit(e))).join(' or ');
    case 'not': {
      const operand = expr.operand;
      const nested = operand.kind === 'and' || operand.kind === 'or' || operand.kind === 'not';
      return `not ${nested ? `(${printSource(operand)})` : printUnit(operand)}`;
    }
    default:
      return printUnit(expr);
  }
}

/** A check, a macro reference or a `not`; a macro named `not` needs parentheses to stay one. */
function printUnit(expr: Expr): string {
  switch (expr.kind) {
    case 'macro-ref':
      return expr.name === 'not' ? '(not)' : expr.name;
    case 'unary-check':
      return `${printOperand(expr.left)} exists`;
    case 'binary-check':
      return printBinaryCheck(expr);
    default:
      return printSource(expr);
  }
}

function printBinaryCheck(check: BinaryCheck): string {
  const left = printOperand(check.left);
  const op = check.modifier ? `${check.op} ${check.modifier}` : check.op;
  return `${left} ${op} ${printRight(check.right, rawValueExpected(check))}`;
}

/** After a numeric operator, a list operator or a modifier, a lone value is a number or an identifier. */
function rawValueExpected(check: BinaryCheck): boolean {
  if (check.modifier) return true;
  switch (check.op) {
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'in':
    case 'intersects':
    case 'pmatch':
      return true;
    default:
      return false;
  }
}

/** Lists and transformers print as themselves; a lone value prints raw where the grammar wants a
 * number or an identifier, and quoted where a bare string would not read back. */
function printRight(right: RightOperand, raw: boolean): string {
  switch (right.kind) {
    case 'list':
      return printList(right);
    case 'value':
      return raw || isPlainBare(right.value) ? right.value : quoteSource(right.value);
    default:
      return printOperand(right);
  }
}

function printList(list: ListLiteral): string {
  return `(${list.items.map((item) => printBare(item)).join(', ')})`;
}

function printBare(value: Literal): string {
  return isPlainBare(value.value) ? value.value : quoteSource(value.value);
}

function printOperand(operand: FieldOperand | TransformerArg): string {
  switch (operand.kind) {
    case 'field':
      return operand.name + printBracketArg(operand.arg);
    case 'transformer':
      return `${operand.name}(${operand.args.map(printOperand).join(', ')})${printBracketArg(operand.arg)}`;
    case 'transformer-list':
      return `(${operand.items.map(printOperand).join(', ')})`;
    case 'value':
      return scanNumeric(operand.value, 0) === operand.value.length && operand.value.length > 0 ? operand.value : quoteSource(operand.value);
  }
}

function printBracketArg(arg: string | undefined): string {
  if (arg === undefined) return '';
  return scanFieldArgBare(arg, 0) === arg.length ? `[${arg}]` : `[${quoteSource(arg)}]`;
}

const MODIFIER_WORDS = new Set(['oneof', 'anyof', 'allof']);

/** A value that reads back as the same bare string wherever a string value may stand. */
function isPlainBare(s: string): boolean {
  if (s.length === 0 || scanBareString(s, 0) !== s.length || MODIFIER_WORDS.has(s)) return false;
  for (let i = 0; i < s.length; i++) if (isBlank(s.charCodeAt(i))) return false;
  return true;
}

/**
 * `"…"` with `\\ \" \b \f \n \r \t` escaped. A closing quote right after a backslash would not
 * close the string, so a final backslash is written as backslash-space (which decodes to one).
 */
export function quoteSource(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    switch (ch) {
      case '\\':
        out += i === s.length - 1 ? '\\ ' : '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += ch;
    }
  }
  return `${out}"`;
}
