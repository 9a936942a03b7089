export {
  createCatalog,
  defaultCatalog,
  knownSources,
  type ArgMode,
  type CatalogOptions,
  type FieldCatalog,
  type FieldClass,
  type FieldInfo,
} from './field-catalog.js';
export { lookupField, type FieldLookup } from './lookup-field.js';
