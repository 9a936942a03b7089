import { RAW_SOURCES, DEPRECATED_FIELD_WARNINGS, ENGINE_PLACEHOLDERS, PLUGIN_ASYNC_EVENTS } from './generated/fields.js';
import { EVENT_PARAM_TYPES } from './generated/events.js';
import {
  ARG_KIND_INDEX,
  ARG_KIND_KEY,
  ARG_MODES,
  ARG_SYNTAX_BRACKET,
  ARG_SYNTAX_DOT,
  FLAG_DEPRECATED,
  FLAG_FILTER_ONLY,
  FLAG_LIST,
  FLAG_NO_RHS,
  FLAG_NO_TRANSFORMER,
  type RawClass,
  type RawField,
} from './raw.js';

export type ArgMode = (typeof ARG_MODES)[number];

/** One field of Falco's field catalog, as the filter compiler sees it. */
export interface FieldInfo {
  name: string;
  /** libs ppm_param_type without the PT_ prefix, e.g. CHARBUF, UINT64, BOOL. */
  type: string;
  arg: ArgMode;
  argKinds: { index: boolean; key: boolean };
  argSyntax: { bracket: boolean; dot: boolean };
  list: boolean;
  deprecated: boolean;
  noRhs: boolean;
  noTransformer: boolean;
  filterOnly: boolean;
  /** The field class, e.g. "process" or "container (plugin)". */
  className: string;
  /** libs, libs:generic or plugin:NAME */
  origin: string;
}

/** A field class: lookup tries classes in order, longest prefix within one class. */
export interface FieldClass {
  name: string;
  origin: string;
  fields: readonly FieldInfo[];
  /** Field names by first 3 characters, longest first: the prefix index. */
  byStem: ReadonlyMap<string, readonly FieldInfo[]>;
}

/** Which fields each event source offers, and the async event names of the loaded plugins. */
export interface FieldCatalog {
  sources: ReadonlyMap<string, readonly FieldClass[]>;
  /** Plugins the catalog was built with (the container plugin by default). */
  plugins: readonly string[];
  asyncEventNames: ReadonlySet<string>;
  /** evt.arg.NAME / evt.rawarg.NAME parameter names and their types. */
  eventParamTypes: ReadonlyMap<string, string>;
  /** Field name -> description, for LOAD_DEPRECATED_ITEM. */
  deprecatedFieldWarnings: ReadonlyMap<string, string>;
  /** Output placeholders the engine replaces before formatting (`%container.info`). */
  enginePlaceholders: readonly string[];
}

export interface CatalogOptions {
  /** Loaded plugins that extract syscall fields or declare async events, e.g. ['container', 'k8smeta', 'json']. */
  plugins: readonly string[];
  /**
   * Fields older releases of a plugin extracted and its newest no longer does, by plugin: added to
   * the plugin's class, for targets that load such a release (they are filtered by release later).
   */
  retiredFields?: Readonly<Record<string, readonly RawField[]>>;
}

export const STEM_LENGTH = 3;

function toFieldInfo(raw: RawField, className: string, origin: string): FieldInfo {
  const [name, type, arg, kinds, syntax, flags] = raw;
  return {
    name,
    type,
    arg: ARG_MODES[arg] ?? 'none',
    argKinds: { index: (kinds & ARG_KIND_INDEX) !== 0, key: (kinds & ARG_KIND_KEY) !== 0 },
    argSyntax: { bracket: (syntax & ARG_SYNTAX_BRACKET) !== 0, dot: (syntax & ARG_SYNTAX_DOT) !== 0 },
    list: (flags & FLAG_LIST) !== 0,
    deprecated: (flags & FLAG_DEPRECATED) !== 0,
    noRhs: (flags & FLAG_NO_RHS) !== 0,
    noTransformer: (flags & FLAG_NO_TRANSFORMER) !== 0,
    filterOnly: (flags & FLAG_FILTER_ONLY) !== 0,
    className,
    origin,
  };
}

function buildClass(name: string, origin: string, raw: readonly RawField[]): FieldClass {
  return indexClass(
    name,
    origin,
    raw.map((f) => toFieldInfo(f, name, origin)),
  );
}

function indexClass(name: string, origin: string, fields: readonly FieldInfo[]): FieldClass {
  const byStem = new Map<string, FieldInfo[]>();
  for (const f of fields) {
    const stem = f.name.slice(0, STEM_LENGTH);
    const list = byStem.get(stem) ?? [];
    list.push(f);
    byStem.set(stem, list);
  }
  for (const list of byStem.values()) list.sort((a, b) => b.name.length - a.name.length);
  return { name, origin, fields, byStem };
}

function pluginOf(origin: string): string | undefined {
  return origin.startsWith('plugin:') ? origin.slice('plugin:'.length) : undefined;
}

function includeClass(cls: RawClass, source: string, plugins: ReadonlySet<string>): boolean {
  const plugin = pluginOf(cls[1]);
  // Syscall-source plugin classes (container) exist only when loaded; a plugin source's own plugin always is.
  return plugin === undefined || source !== 'syscall' || plugins.has(plugin);
}

/** Builds the catalog Falco would have with the given plugins loaded. */
export function createCatalog(options: CatalogOptions): FieldCatalog {
  const plugins = new Set(options.plugins);
  const sources = new Map<string, FieldClass[]>();
  const withRetired = (origin: string, fields: readonly RawField[]) => {
    const retired = options.retiredFields?.[pluginOf(origin) ?? ''] ?? [];
    return retired.length === 0 ? fields : [...fields, ...retired.filter((r) => !fields.some((f) => f[0] === r[0]))];
  };
  for (const [source, classes, extractors] of RAW_SOURCES) {
    const built = classes.filter((c) => includeClass(c, source, plugins)).map((c) => buildClass(c[0], c[1], withRetired(c[1], c[2])));
    for (const [plugin, name, origin, fields] of extractors) {
      if (plugins.has(plugin)) built.push(buildClass(name, origin, withRetired(origin, fields)));
    }
    sources.set(source, built);
  }
  const asyncEventNames = new Set<string>();
  for (const [plugin, names] of PLUGIN_ASYNC_EVENTS) {
    if (plugins.has(plugin)) for (const n of names) asyncEventNames.add(n);
  }
  return {
    sources,
    plugins: [...options.plugins],
    asyncEventNames,
    eventParamTypes: new Map(EVENT_PARAM_TYPES),
    deprecatedFieldWarnings: new Map(DEPRECATED_FIELD_WARNINGS),
    enginePlaceholders: ENGINE_PLACEHOLDERS,
  };
}

/** What Falco's Linux packages load: the container plugin, whose fields count as syscall fields. */
export const defaultCatalog: FieldCatalog = createCatalog({ plugins: ['container'] });

/** The event sources the catalog knows, in catalog order. */
export function knownSources(catalog: FieldCatalog): string[] {
  return [...catalog.sources.keys()];
}

/** The plugin that provides a non-syscall source: the owner of the source's plugin field class. */
export function sourcePlugin(catalog: FieldCatalog, source: string): string | undefined {
  if (source === 'syscall') return undefined;
  for (const cls of catalog.sources.get(source) ?? []) {
    const plugin = pluginOf(cls.origin);
    if (plugin !== undefined) return plugin;
  }
  return undefined;
}

/** A narrower catalog: only the sources and fields kept (a Falco version lacking some of them). */
export function restrictCatalog(catalog: FieldCatalog, keepSource: (source: string) => boolean, keepField: (field: FieldInfo) => boolean): FieldCatalog {
  const sources = new Map<string, FieldClass[]>();
  for (const [source, classes] of catalog.sources) {
    if (!keepSource(source)) continue;
    sources.set(
      source,
      classes.map((cls) => {
        const fields = cls.fields.filter(keepField);
        return fields.length === cls.fields.length ? cls : indexClass(cls.name, cls.origin, fields);
      }),
    );
  }
  return { ...catalog, sources };
}
