/**
 * The Falco filter language AST (libsinsp filter/ast.h), as a discriminated union.
 * Every node has a span: offsets [start, end) into the condition text it was parsed from.
 */

export interface Span {
  start: number;
  end: number;
}

export type Expr = AndExpr | OrExpr | NotExpr | UnaryCheck | BinaryCheck | MacroRef;

/** `a and b and c`: n-ary, left to right. A parenthesised group stays a separate child. */
export interface AndExpr {
  kind: 'and';
  operands: Expr[];
  span: Span;
}

export interface OrExpr {
  kind: 'or';
  operands: Expr[];
  span: Span;
}

export interface NotExpr {
  kind: 'not';
  operand: Expr;
  span: Span;
}

/** A bare identifier in check position: a macro reference (Falco's identifier_expr). */
export interface MacroRef {
  kind: 'macro-ref';
  name: string;
  span: Span;
}

/** `field exists` */
export interface UnaryCheck {
  kind: 'unary-check';
  left: FieldOperand;
  op: 'exists';
  span: Span;
}

/** `field op value`, `field in (a, b)`, `field startswith oneof (a, b)`, `field = val(other)` */
export interface BinaryCheck {
  kind: 'binary-check';
  left: FieldOperand;
  op: BinaryOperator;
  /** `oneof` / `anyof` / `allof` after a string operator (libs 0.25). */
  modifier?: OperatorModifier;
  right: RightOperand;
  span: Span;
}

export type NumericOperator = '<=' | '<' | '>=' | '>';
export type StringOperator =
  '==' | '=' | '!=' | 'glob' | 'iglob' | 'contains' | 'icontains' | 'bcontains' | 'startswith' | 'bstartswith' | 'endswith' | 'regex';
export type ListOperator = 'in' | 'intersects' | 'pmatch';
export type BinaryOperator = NumericOperator | StringOperator | ListOperator;
export type OperatorModifier = 'oneof' | 'anyof' | 'allof';

export type FieldOperand = FieldRef | Transformer;

/** `proc.name`, `proc.aname[2]`, `evt.arg.flags` (dot arguments stay part of the name). */
export interface FieldRef {
  kind: 'field';
  name: string;
  /** The bracket argument, unescaped; absent when none was written. */
  arg?: string;
  span: Span;
}

export type TransformerName = 'tolower' | 'toupper' | 'b64' | 'basename' | 'len' | 'join' | 'concat' | 'getopt' | 'val';

/** `tolower(proc.name)`, `getopt(proc.args, "nt:")[t]`; `val(field)` is the identity on the right-hand side. */
export interface Transformer {
  kind: 'transformer';
  name: TransformerName;
  args: TransformerArg[];
  arg?: string;
  span: Span;
}

export type TransformerArg = FieldRef | Transformer | Literal | TransformerList;

/** A parenthesised argument list inside a transformer, e.g. the second argument of `join`. */
export interface TransformerList {
  kind: 'transformer-list';
  items: (FieldRef | Transformer | Literal)[];
  span: Span;
}

/** A constant: the string after unescaping (bare strings, quoted strings and numbers alike). */
export interface Literal {
  kind: 'value';
  value: string;
  span: Span;
}

export interface ListLiteral {
  kind: 'list';
  items: Literal[];
  span: Span;
}

export type RightOperand = Literal | ListLiteral | FieldOperand;
