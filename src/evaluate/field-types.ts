/**
 * What the evaluator needs to know about a field: its libs type (PT_ name without the prefix, as
 * in the field catalog) and whether it is multi-valued. Passed in, never global.
 */
import { COMPARED_NUMERIC_TYPES } from '../condition/catalog/param-types.js';

export interface FieldType {
  type: string;
  list: boolean;
}

/** Looks up a field's type; `undefined` when the catalog does not know it (treated as a string). */
export type FieldTypeResolver = (name: string, arg?: string) => FieldType | undefined;

/** How values of a type are compared (filter_compare.cpp groups the PT_ types the same way). */
export type ValueKind = 'string' | 'number' | 'bool' | 'ip' | 'net' | 'buffer';

export function valueKindOf(type: string): ValueKind {
  if (COMPARED_NUMERIC_TYPES.has(type)) return 'number';
  switch (type) {
    case 'BOOL':
      return 'bool';
    case 'IPADDR':
    case 'IPV4ADDR':
    case 'IPV6ADDR':
      return 'ip';
    case 'IPNET':
    case 'IPV4NET':
    case 'IPV6NET':
      return 'net';
    case 'BYTEBUF':
      return 'buffer';
    default:
      return 'string';
  }
}

/** A resolver over a plain table `name -> FieldType` (tests, and adapters over the field catalog). */
export function tableFieldTypes(table: Readonly<Record<string, FieldType>>): FieldTypeResolver {
  return (name) => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined);
}
