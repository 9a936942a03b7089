import { CODE_NAMES } from './generated/events.js';
import { STEM_LENGTH, type FieldCatalog, type FieldClass, type FieldInfo } from './field-catalog.js';

export type FieldLookup = { ok: true; field: FieldInfo } | { ok: false; message: string };

const EVENT_NAMES: ReadonlySet<string> = new Set(CODE_NAMES);
const CGROUP_SUBSYSTEM = /^[A-Za-z_]+$/;
const DIGITS = /^[0-9]+$/;

/** The longest field of one class whose name is a prefix of `text` (libs parse_field_name). */
function longestPrefix(cls: FieldClass, text: string): FieldInfo | undefined {
  const candidates = cls.byStem.get(text.slice(0, STEM_LENGTH));
  if (candidates === undefined) {
    // Names shorter than the stem cannot be indexed by it; no catalog field is that short.
    return undefined;
  }
  return candidates.find((f) => text.startsWith(f.name));
}

function nonexistent(full: string): FieldLookup {
  return { ok: false, message: `filter_check called with nonexistent field ${full}` };
}

/** The argument errors of libs' field parser (plugin_filtercheck.cpp wording). */
function checkBracketArg(field: FieldInfo, full: string, arg: string): FieldLookup {
  if (field.arg === 'none') {
    if (!field.origin.startsWith('plugin:')) return nonexistent(full);
    return {
      ok: false,
      message: `filter '${full}': ${field.name} does not allow nor require an argument but one is provided: ${arg}`,
    };
  }
  if (!field.argSyntax.bracket) return nonexistent(full);
  if (field.argKinds.index && !field.argKinds.key) {
    if (arg.length === 0 || (arg.length > 1 && arg.startsWith('0'))) {
      return { ok: false, message: `filter ${full} ${field.name} has an invalid index argument starting with 0: ${arg}` };
    }
    if (!DIGITS.test(arg)) {
      return {
        ok: false,
        message: `filter ${full} ${field.name} has an invalid index argument not composed only by digits: ${arg}`,
      };
    }
  }
  return { ok: true, field };
}

/** `evt.arg.NAME`, `evt.rawarg.NAME`, `evt.type.is.NAME`, `evt.abspath.src`, `thread.cgroup.SUBSYS`. */
function checkDotArg(catalog: FieldCatalog, field: FieldInfo, full: string, dotArg: string): FieldLookup {
  switch (field.name) {
    case 'evt.arg':
      return catalog.eventParamTypes.has(dotArg) ? { ok: true, field } : nonexistent(full);
    case 'evt.rawarg': {
      const type = catalog.eventParamTypes.get(dotArg);
      return type === undefined ? nonexistent(full) : { ok: true, field: { ...field, type } };
    }
    case 'evt.type.is':
      return EVENT_NAMES.has(dotArg) || DIGITS.test(dotArg) ? { ok: true, field } : nonexistent(full);
    case 'evt.abspath':
      return dotArg === 'src' || dotArg === 'dst' ? { ok: true, field } : nonexistent(full);
    case 'thread.cgroup':
      return CGROUP_SUBSYSTEM.test(dotArg) ? { ok: true, field } : nonexistent(full);
    default:
      return nonexistent(full);
  }
}

function checkField(catalog: FieldCatalog, field: FieldInfo, name: string, arg: string | undefined): FieldLookup {
  const full = arg === undefined ? name : `${name}[${arg}]`;
  const rest = name.slice(field.name.length);
  if (rest.length > 0) {
    if (!field.argSyntax.dot || !rest.startsWith('.') || arg !== undefined) return nonexistent(full);
    return checkDotArg(catalog, field, full, rest.slice(1));
  }
  if (arg !== undefined) return checkBracketArg(field, full, arg);
  if (field.arg === 'required' && field.name !== 'evt.abspath') {
    return { ok: false, message: `filter '${full}': ${field.name} requires an argument but none provided` };
  }
  return { ok: true, field };
}

/**
 * Resolves a field as libs does (filter_check_list::new_filter_check_from_fldname): classes in
 * order, the longest field name that prefixes the text within a class, and the FIRST class with
 * any prefix match decides (a later class is never tried), then the whole text must be consumed.
 */
export function lookupField(catalog: FieldCatalog, source: string, name: string, arg?: string): FieldLookup {
  // Loads look the same few hundred names up thousands of times: remember answers per catalog.
  let memo = LOOKUPS.get(catalog);
  if (memo === undefined) LOOKUPS.set(catalog, (memo = new Map<string, FieldLookup>()));
  const key = arg === undefined ? `${source}\u0000${name}` : `${source}\u0000${name}\u0000${arg}`;
  let found = memo.get(key);
  if (found === undefined) memo.set(key, (found = lookupFieldUncached(catalog, source, name, arg)));
  return found;
}

const LOOKUPS = new WeakMap<FieldCatalog, Map<string, FieldLookup>>();

function lookupFieldUncached(catalog: FieldCatalog, source: string, name: string, arg?: string): FieldLookup {
  const classes = catalog.sources.get(source);
  const full = arg === undefined ? name : `${name}[${arg}]`;
  if (classes === undefined) return nonexistent(full);
  for (const cls of classes) {
    const field = longestPrefix(cls, name);
    if (field !== undefined) return checkField(catalog, field, name, arg);
  }
  return nonexistent(full);
}
