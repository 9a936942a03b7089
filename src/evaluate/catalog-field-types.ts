/** Field types for the evaluator from Falco's field catalog, per rule source. */
import { defaultCatalog, lookupField, type FieldCatalog } from '../condition/catalog/index.js';
import type { FieldType, FieldTypeResolver } from './field-types.js';
import type { SourceFieldTypes } from './rules-by-event-type.js';

export function catalogFieldTypes(catalog: FieldCatalog): SourceFieldTypes {
  const perSource = new Map<string, FieldTypeResolver>();
  return (source) => {
    let resolver = perSource.get(source);
    if (!resolver) {
      const cache = new Map<string, FieldType | undefined>();
      resolver = (name, arg) => {
        const key = arg === undefined ? name : `${name}[${arg}]`;
        if (cache.has(key)) return cache.get(key);
        const found = lookupField(catalog, source, name, arg);
        const type = found.ok ? { type: found.field.type, list: found.field.list } : undefined;
        cache.set(key, type);
        return type;
      };
      perSource.set(source, resolver);
    }
    return resolver;
  };
}

/** Field types of the default target's catalog. */
export function defaultFieldTypes(): SourceFieldTypes {
  return catalogFieldTypes(defaultCatalog);
}
