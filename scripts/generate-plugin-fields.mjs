#!/usr/bin/env node
/**
 * Per plugin release: which fields the plugin extracts, from a mirror of falcosecurity/plugins (a git
 * dir, read with `git show` at each release tag: `NAME-X.Y.Z` before the monorepo moved to
 * `plugins/NAME/vX.Y.Z`). Field definitions are read from the plugin's source at the tag: the C++
 * `{ft::FTYPE_*, "name", ...}` table of the container plugin and the Go `sdk.FieldEntry` literals
 * (`Type: "...", Name: "..."`) of the Go plugins, with k8saudit's generated container-list fields.
 *
 *   node scripts/generate-plugin-fields.mjs PLUGINS_GIT_DIR [OUT]
 *
 * Output is compact: per plugin its release versions in order, every field it ever extracted, and
 * for each field not in every release the indexes of the releases that have it ([first, last] when contiguous).
 * Fields the newest release no longer extracts are not in the field catalog (which is the newest
 * releases'), so they are written out with their type, from the last release that has them.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [pluginsDir, out = 'src/targets/generated/plugin-fields.ts'] = process.argv.slice(2);
if (!pluginsDir) {
  console.error('usage: generate-plugin-fields.mjs PLUGINS_GIT_DIR [OUT]');
  process.exit(2);
}

/** The container plugin (the default target's) and the plugins of the upstream plugin rulesets. */
const PLUGINS = ['container', 'k8saudit', 'cloudtrail', 'github', 'okta', 'gcpaudit'];

const git = (...args) => execFileSync('git', ['-C', pluginsDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const semver = (v) => v.split('.').map(Number);
const bySemver = (a, b) => {
  const [x, y] = [semver(a), semver(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

const tags = git('tag', '--list').split('\n');

/** Release tags of a plugin, by version (pre-releases left out); the newer tag style wins a tie. */
function releasesOf(plugin) {
  const byVersion = new Map();
  const old = new RegExp(`^${plugin}-(\\d+\\.\\d+\\.\\d+)$`);
  const mono = new RegExp(`^plugins/${plugin}/v(\\d+\\.\\d+\\.\\d+)$`);
  for (const tag of tags) {
    const m = old.exec(tag);
    if (m && !byVersion.has(m[1])) byVersion.set(m[1], tag);
  }
  for (const tag of tags) {
    const m = mono.exec(tag);
    if (m) byVersion.set(m[1], tag);
  }
  return [...byVersion.keys()].sort(bySemver).map((version) => ({ version, tag: byVersion.get(version) }));
}

/** Source files of the plugin at a tag that may define fields (tests, vendored and generated code left out). */
function sourceFiles(plugin, tag) {
  return git('ls-tree', '-r', '--name-only', tag, `plugins/${plugin}/`)
    .split('\n')
    .filter((p) => /\.(go|cpp)$/.test(p) && !/_test\.go$|\/(vendor|test|tests|go-worker)\//.test(p));
}

const CPP_FIELD = /\{\s*(?:falcosecurity::field_value_type|ft)::FTYPE_(\w+)\s*,\s*"([^"]+)"/g;
const GO_FIELD = /\bType:\s*"([^"]*)"\s*,\s*Name:\s*"([^"]+)"([^\n]*)/g;

/** The plugin SDK's field types as the field catalog names them (libs' PT_ names). */
const CATALOG_TYPES = { string: 'CHARBUF', uint64: 'UINT64', bool: 'BOOL', reltime: 'RELTIME', abstime: 'ABSTIME', ipaddr: 'IPADDR', ipnet: 'IPNET' };

/** k8saudit's containerListFields(list, label, withHostPort): `ka.req.pod.<list>.<entry>` per entry. */
function goContainerListFields(text) {
  const fn = /func containerListFields\([^)]*\)[^{]*\{([\s\S]*?)\n\}/.exec(text);
  if (!fn) return [];
  const prefix = /prefix := "([^"]+)" \+ list \+ "\."/.exec(fn[1])?.[1];
  if (!prefix) throw new Error('containerListFields changed shape: update the generator');
  const [always, withHostPort = ''] = fn[1].split(/if withHostPort \{/);
  const entries = (part) => [...part.matchAll(/\bentry\("([^"]+)"/g)].map((m) => m[1]);
  const out = [];
  for (const call of text.matchAll(/containerListFields\("([^"]+)",\s*"[^"]*",\s*(true|false)\)/g)) {
    const names = [...entries(always), ...(call[2] === 'true' ? entries(withHostPort) : [])];
    for (const name of names) out.push(`${prefix}${call[1]}.${name}`);
  }
  return out;
}

/** The texts of many `rev:path` objects in one `git cat-file --batch` run (one process, not one per file). */
function readObjects(specs) {
  const raw = execFileSync('git', ['-C', pluginsDir, 'cat-file', '--batch'], { input: specs.join('\n') + '\n', maxBuffer: 1 << 30 });
  const texts = [];
  let at = 0;
  for (const spec of specs) {
    const eol = raw.indexOf(10, at);
    const header = raw.subarray(at, eol).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isInteger(size)) throw new Error(`cannot read ${spec}: ${header}`);
    texts.push(raw.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return texts;
}

/** Field name -> the catalog's description of it: [type, what else the definition line says]. */
function fieldsAt(plugin, tag) {
  const paths = sourceFiles(plugin, tag);
  const texts = readObjects(paths.map((path) => `${tag}:${path}`));
  const fields = new Map();
  paths.forEach((path, i) => {
    const text = texts[i];
    if (path.endsWith('.go')) {
      for (const m of text.matchAll(GO_FIELD)) fields.set(m[2], { type: m[1], rest: m[3] });
      for (const name of goContainerListFields(text)) fields.set(name, { type: 'string', rest: '' });
    } else {
      for (const m of text.matchAll(CPP_FIELD)) fields.set(m[2], { type: m[1].toLowerCase(), rest: '' });
    }
  });
  return fields;
}

/** A retired field as the catalog's RawField: [name, type, arg, argKinds, argSyntax, flags] (src/condition/catalog/raw.ts). */
function rawField(plugin, name, { type, rest }) {
  const catalogType = CATALOG_TYPES[type];
  if (!catalogType) throw new Error(`${plugin}: retired field ${name} has type ${type}: add it to CATALOG_TYPES`);
  if (/\bArg:/.test(rest)) throw new Error(`${plugin}: retired field ${name} takes an argument: teach the generator its shape`);
  return [name, catalogType, 0, 0, 0, /\bIsList:\s*true/.test(rest) ? 1 : 0];
}

const versions = {};
const names = {};
const ranges = {};
const retired = {};
for (const plugin of PLUGINS) {
  const releases = releasesOf(plugin).map((r) => ({ ...r, fields: fieldsAt(plugin, r.tag) }));
  const present = releases.filter((r) => r.fields.size > 0);
  versions[plugin] = present.map((r) => r.version);
  const all = [...new Set(present.flatMap((r) => [...r.fields.keys()]))].sort();
  names[plugin] = all;
  const perField = {};
  const gone = [];
  for (const field of all) {
    const has = present.map((r) => r.fields.has(field));
    if (has.every(Boolean)) continue;
    const first = has.indexOf(true);
    const last = has.lastIndexOf(true);
    perField[field] = has.slice(first, last + 1).every(Boolean) ? [first, last] : has.flatMap((h, i) => (h ? [i] : []));
    if (last < present.length - 1) gone.push(rawField(plugin, field, present[last].fields.get(field)));
  }
  ranges[plugin] = perField;
  if (gone.length > 0) retired[plugin] = gone;
}

const head = git('rev-parse', 'HEAD').trim();
const body = `// Generated by scripts/generate-plugin-fields.mjs from falcosecurity/plugins ${head.slice(0, 8)}. Do not edit.
// Ranges are [first, last] indexes into PLUGIN_VERSIONS[plugin] (or the explicit list of indexes); fields in every release are omitted.
import type { RawField } from '../../condition/catalog/raw.js';

export const PLUGIN_VERSIONS: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(versions)};
/** Every field each plugin extracts in some release. */
export const PLUGIN_FIELDS: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(names)};
export const PLUGIN_FIELD_RANGES: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>> = ${JSON.stringify(ranges)};
/** Fields older releases extracted and the newest does not, as the field catalog describes fields (RawField). */
export const RETIRED_PLUGIN_FIELDS: Readonly<Record<string, readonly RawField[]>> = ${JSON.stringify(retired)};
`;
writeFileSync(out, body);
for (const plugin of PLUGINS) console.log(`${plugin}: ${versions[plugin].length} releases, ${Object.keys(ranges[plugin]).length} version-dependent fields`);
