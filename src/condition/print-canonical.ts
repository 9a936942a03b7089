/**
 * Falco's canonical printed form of a condition (§6): what `describe` shows as
 * `condition_compiled`. Always-parenthesised and/or, `esc()` quoting, transformers without spaces.
 * It is lossy (`""` prints as nothing); use printSource for text that must parse back.
 */
import type { Expr, RightOperand, TransformerArg } from './ast.js';

export function printCanonical(expr: Expr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${expr.operands.map(printCanonical).join(` ${expr.kind} `)})`;
    case 'not':
      return `not ${printCanonical(expr.operand)}`;
    case 'macro-ref':
      return expr.name;
    case 'unary-check':
      return `${printOperand(expr.left)} ${expr.op}`;
    case 'binary-check': {
      const op = expr.modifier ? `${expr.op} ${expr.modifier}` : expr.op;
      return `${printOperand(expr.left)} ${op} ${printOperand(expr.right)}`;
    }
  }
}

function printOperand(operand: RightOperand | TransformerArg): string {
  switch (operand.kind) {
    case 'field':
      return operand.name + printArg(operand.arg);
    case 'transformer':
      return `${operand.name}(${operand.args.map(printOperand).join(',')})${printArg(operand.arg)}`;
    case 'transformer-list':
      return `(${operand.items.map(printOperand).join(',')})`;
    case 'value':
      return escapeCanonical(operand.value);
    case 'list':
      return `(${operand.items.map((item) => escapeCanonical(item.value)).join(', ')})`;
  }
}

function printArg(arg: string | undefined): string {
  if (arg === undefined) return '';
  return arg === '' ? '[""]' : `[${escapeCanonical(arg)}]`;
}

/** Falco's `escape_str`: quoted, with `\\ \" \b \f \n \r \t` escaped, when any character needs it. */
export function escapeCanonical(s: string): string {
  let out = '';
  let quote = false;
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let replacement: string | undefined;
    switch (c) {
      case 0x08:
        replacement = '\\b';
        break;
      case 0x0c:
        replacement = '\\f';
        break;
      case 0x0a:
        replacement = '\\n';
        break;
      case 0x0d:
        replacement = '\\r';
        break;
      case 0x09:
        replacement = '\\t';
        break;
      case 0x5c:
        replacement = '\\\\';
        break;
      case 0x22:
        replacement = '\\"';
        break;
      case 0x20:
      case 0x3d:
      case 0x27:
      case 0x00:
        quote = true;
        continue;
      default:
        continue;
    }
    quote = true;
    out += s.slice(runStart, i) + replacement;
    runStart = i + 1;
  }
  if (!quote) return s;
  return `"${out}${s.slice(runStart)}"`;
}
