export {
  createCatalog,
  defaultCatalog,
  knownSources,
  restrictCatalog,
  sourcePlugin,
  type ArgMode,
  type CatalogOptions,
  type FieldCatalog,
  type FieldClass,
  type FieldInfo,
} from './field-catalog.js';
export { lookupField, type FieldLookup } from './lookup-field.js';
