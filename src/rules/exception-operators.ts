/** The comparison operators an exception may use (libsinsp parser::supported_operators). */
const PLAIN_OPERATORS = new Set([
  'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch',
]);
const STRING_OPERATORS = new Set(['=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex']);
const MODIFIERS = new Set(['oneof', 'anyof', 'allof']);
const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

/** `<string operator> <modifier>`, e.g. `startswith oneof`. */
export function isModifierOperator(op: string): boolean {
  const space = op.indexOf(' ');
  return space > 0 && STRING_OPERATORS.has(op.slice(0, space)) && MODIFIERS.has(op.slice(space + 1));
}

export function isSupportedOperator(op: string): boolean {
  return PLAIN_OPERATORS.has(op) || isModifierOperator(op);
}

/** Operators whose right-hand side is a list (supported_operators(true)). */
export function isListOperator(op: string): boolean {
  return LIST_OPERATORS.has(op) || isModifierOperator(op);
}
