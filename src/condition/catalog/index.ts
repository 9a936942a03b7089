export { createCatalog, defaultCatalog, knownSources, restrictCatalog, sourcePlugin, type FieldCatalog } from './field-catalog.js';
export { lookupField } from './lookup-field.js';
