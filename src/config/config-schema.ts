import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { MAX_YAML_NESTING, yamlNestingExcess, type Diagnostic, type Loc } from '../diagnostics/index.js';
import { closestName } from './closest-name.js';
import { validateClusterConfig, validateDefaultsConfig, validateEnvironmentConfig, type StandaloneValidator } from './generated/config-validators.js';

export const ENVIRONMENT_SCHEMA_FILE = 'environment.schema.json';
export const DEFAULTS_SCHEMA_FILE = 'falco-gitops.schema.json';
export const CLUSTER_SCHEMA_FILE = 'cluster.schema.json';
type SchemaFile = typeof ENVIRONMENT_SCHEMA_FILE | typeof DEFAULTS_SCHEMA_FILE | typeof CLUSTER_SCHEMA_FILE;

/** A config file checked against its JSON Schema: the plain value (if valid) and one diagnostic per problem. */
export interface CheckedConfig {
  value: unknown;
  diagnostics: Diagnostic[];
  /** The parsed document with its line counter, for positions of what the value holds. */
  document: Document;
  lineCounter: LineCounter;
}

export interface ConfigValidator {
  check(file: string, text: string, schemaFile: SchemaFile): CheckedConfig;
}

/** The package's `schemas/` folder: found by walking up from this module (src/ in tests, dist/src/ when built). */
export function schemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'schemas', ENVIRONMENT_SCHEMA_FILE);
    if (existsSync(candidate)) return join(dir, 'schemas');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('schemas/ not found above the falco-gitops package modules');
    dir = parent;
  }
}

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemasDir(), file), 'utf8')) as Record<string, unknown>;
}

/** The shipped schemas, compiled at build time (scripts/generate-config-validators.mjs). */
const VALIDATORS: Readonly<Record<SchemaFile, StandaloneValidator>> = {
  [ENVIRONMENT_SCHEMA_FILE]: validateEnvironmentConfig,
  [DEFAULTS_SCHEMA_FILE]: validateDefaultsConfig,
  [CLUSTER_SCHEMA_FILE]: validateClusterConfig,
};

/** Checks YAML config files against the shipped schemas and maps every error to file, line and key. */
export function createConfigValidator(): ConfigValidator {
  return {
    check(file, text, schemaFile) {
      const lineCounter = new LineCounter();
      const deep = yamlNestingExcess(text);
      // nothing of the text is parsed: an empty document stands for it
      const doc = parseDocument(deep === null ? text : '', { lineCounter, prettyErrors: false });
      if (deep !== null) {
        return {
          value: undefined,
          diagnostics: [configError(file, '', `invalid YAML: nesting deeper than ${MAX_YAML_NESTING} levels`, { file, ...deep })],
          document: doc,
          lineCounter,
        };
      }
      const locAt = (offset: number): Loc => {
        const pos = lineCounter.linePos(offset);
        return { file, line: pos.line, column: pos.col };
      };
      const [yamlError] = doc.errors;
      if (yamlError) {
        return {
          value: undefined,
          diagnostics: [configError(file, '', `invalid YAML: ${yamlError.message.split('\n')[0]}`, locAt(yamlError.pos[0]))],
          document: doc,
          lineCounter,
        };
      }
      const value: unknown = doc.toJS() ?? {};
      const validate = VALIDATORS[schemaFile];
      if (validate(value)) return { value, diagnostics: [], document: doc, lineCounter };
      const diagnostics = (validate.errors ?? []).map((e) => describeError(file, doc, e, locAt));
      return { value: undefined, diagnostics: dedupe(diagnostics), document: doc, lineCounter };
    },
  };
}

function describeError(file: string, doc: Document, error: ErrorObject, locAt: (offset: number) => Loc): Diagnostic {
  const path = pointerSegments(error.instancePath);
  const keyPath = path.join('.');
  const nodeLoc = (segments: (string | number)[]): Loc => {
    const node = nodeAt(doc, segments);
    return locAt(node?.range?.[0] ?? 0);
  };
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const suggestion = closestName(key, allowed);
      const where = keyPath === '' ? '' : ` in '${keyPath}'`;
      const hint = suggestion ? ` (did you mean '${suggestion}'?)` : allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
      const keyNode = keyNodeAt(doc, path, key);
      return configError(file, [...path, key].join('.'), `unknown key '${key}'${where}${hint}`, keyNode ? locAt(keyNode.range?.[0] ?? 0) : nodeLoc(path));
    }
    case 'required': {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      const where = keyPath === '' ? '' : ` in '${keyPath}'`;
      return configError(file, [...path, key].join('.'), `missing required key '${key}'${where}`, nodeLoc(path));
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return configError(file, keyPath, `'${keyPath}' has an invalid value ${JSON.stringify(error.data)}: expected one of ${allowed}`, nodeLoc(path));
    }
    case 'uniqueItems': {
      const { i } = error.params as { i: number };
      const item: unknown = Array.isArray(error.data) ? error.data[i] : undefined;
      return configError(file, keyPath, `'${keyPath}' names '${String(item)}' twice`, nodeLoc([...path, i]));
    }
    case 'pattern':
      return configError(file, keyPath, `'${keyPath}' has an invalid value ${JSON.stringify(error.data)}: ${patternMeaning(path)}`, nodeLoc(path));
    default:
      return configError(file, keyPath, `'${keyPath || '(document)'}' ${error.message ?? 'is invalid'}`, nodeLoc(path));
  }
}

function patternMeaning(path: (string | number)[]): string {
  const last = path[path.length - 1];
  switch (last) {
    case 'version':
      return 'expected a semver version such as 1.2.0';
    case 'name':
      return 'expected lower-case letters, digits and single . _ - separators';
    case 'rulesFileName':
      return 'expected a plain file name ending in .yaml or .yml';
    default:
      return 'it does not match the expected format';
  }
}

function configError(file: string, key: string, message: string, location: Loc): Diagnostic {
  return { code: 'CONFIG_ERROR', severity: 'error', itemType: 'config', itemName: key || file, message, location };
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function nodeAt(doc: Document, path: (string | number)[]): Node | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  const node = doc.getIn(path, true);
  return node && typeof node === 'object' && 'range' in node ? (node as Node) : undefined;
}

function keyNodeAt(doc: Document, path: (string | number)[], key: string): Node | undefined {
  const parent = nodeAt(doc, path);
  if (!parent || !isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
  return (pair?.key as Node | undefined) ?? undefined;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.location.line}:${d.location.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
