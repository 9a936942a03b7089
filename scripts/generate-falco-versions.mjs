#!/usr/bin/env node
/**
 * Per Falco release (0.37.0 and later, plus `main`): the libs version it builds with, its engine
 * version, and the condition language (operators, transformers) and built-in fields of that libs
 * version, from mirrors of falcosecurity/falco and falcosecurity/libs (git dirs, read with `git show`).
 *
 *   node scripts/generate-falco-versions.mjs FALCO_GIT_DIR LIBS_GIT_DIR [OUT]
 *
 * Output is compact: each field, operator and transformer carries the range of Falco versions
 * that have it ("since" the first, "until" the last when a later one lacks it).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [falcoDir, libsDir, out = 'src/targets/generated/falco-versions.ts'] = process.argv.slice(2);
if (!falcoDir || !libsDir) {
  console.error('usage: generate-falco-versions.mjs FALCO_GIT_DIR LIBS_GIT_DIR [OUT]');
  process.exit(2);
}

const git = (dir, ...args) =>
  execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
const show = (dir, rev, path) => git(dir, 'show', `${rev}:${path}`);
const semver = (v) => v.split('.').map(Number);
const bySemver = (a, b) => {
  const [x, y] = [semver(a), semver(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

const releases = git(falcoDir, 'tag', '--list')
  .split('\n')
  .filter((t) => /^0\.(3[7-9]|[4-9]\d)\.\d+$/.test(t))
  .sort(bySemver);
const mainRev = git(falcoDir, 'rev-parse', 'HEAD').trim();
const libsMain = git(libsDir, 'rev-parse', 'HEAD').trim();

function libsVersionOf(rev) {
  const cmake = show(falcoDir, rev, 'cmake/modules/falcosecurity-libs.cmake');
  const found = [...cmake.matchAll(/set\(FALCOSECURITY_LIBS_VERSION "([^"]+)"\)/g)].map((m) => m[1]).filter((v) => v !== '0.0.0-local');
  return found.at(-1);
}

function engineVersionOf(rev) {
  const h = show(falcoDir, rev, 'userspace/engine/falco_engine_version.h');
  const part = (p) => h.match(new RegExp(`#define FALCO_ENGINE_VERSION_${p} (\\d+)`))?.[1];
  return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
}

/** The string literals of one `static const std::vector<std::string> NAME = {...};` in parser.cpp. */
function stringVector(text, name) {
  // libs 0.14 names them without the `s_` prefix and with `vector<string>`
  const m = text.match(new RegExp(`\\b(?:s_)?${name.replace(/^s_/, '')}\\s*=\\s*\\{([^}]*)\\}`));
  return m ? [...m[1].matchAll(/"([^"]*)"/g)].map((s) => s[1].trim().replace(/\($/, '')) : [];
}

function languageOf(rev) {
  const parser = show(libsDir, rev, 'userspace/libsinsp/filter/parser.cpp');
  const operators = ['s_unary_ops', 's_binary_num_ops', 's_binary_str_ops', 's_str_modifier_ops', 's_binary_list_ops'].flatMap((n) => stringVector(parser, n));
  const transformers = stringVector(parser, 's_field_transformers');
  const hasVal = parser.includes('s_field_transformer_val');
  if (hasVal) transformers.push('val');
  // the lists the parser prints in its errors: supported_operators() and supported_field_transformers(true)
  const checkOperators = ['s_unary_ops', 's_binary_num_ops', 's_binary_str_ops', 's_binary_list_ops'].flatMap((n) => stringVector(parser, n));
  const transformerList = [...(hasVal ? ['val'] : []), ...stringVector(parser, 's_field_transformers')];
  return { operators, transformers, checkOperators, transformerList };
}

/** Field names of the built-in filtercheck tables: each entry is {PT_TYPE, flags, print, "name", ...}. */
function fieldsOf(rev) {
  const files = git(libsDir, 'ls-tree', '--name-only', rev, 'userspace/libsinsp/')
    .split('\n')
    .filter((p) => /sinsp_filtercheck_\w+\.cpp$/.test(p));
  const names = new Set();
  for (const path of files) {
    const text = show(libsDir, rev, path);
    for (const m of text.matchAll(/\{\s*PT_\w+\s*,[^{}"]*?"([A-Za-z0-9_.]+)"/g)) names.add(m[1]);
  }
  return names;
}

const targets = [...releases.map((t) => ({ falco: t, rev: t, libs: libsVersionOf(t) })), { falco: 'main', rev: mainRev, libs: libsVersionOf(mainRev) }];
const perTarget = new Map();
const libsCache = new Map();
for (const t of targets) {
  // Falco main pins a libs commit a mirror may lack; the libs mirror's HEAD stands in for it.
  const libsRev = t.falco === 'main' ? libsMain : t.libs;
  let libs = libsCache.get(libsRev);
  if (!libs) libsCache.set(libsRev, (libs = { ...languageOf(libsRev), fields: fieldsOf(libsRev) }));
  perTarget.set(t.falco, {
    libs: t.libs,
    engine: engineVersionOf(t.rev),
    ...libs,
  });
}

const order = [...perTarget.keys()];
/** [first, last] indexes into VERSIONS of the versions that have the item, for items not in every version. */
function ranges(get) {
  const all = new Set(order.flatMap((v) => [...get(perTarget.get(v))]));
  const result = {};
  for (const item of [...all].sort()) {
    const has = order.map((v) => get(perTarget.get(v)).has(item));
    if (has.every(Boolean)) continue;
    const first = has.indexOf(true);
    const last = has.lastIndexOf(true);
    if (has.slice(first, last + 1).every(Boolean)) result[item] = [first, last];
    else result[item] = has.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
  }
  return result;
}

/** Distinct printed lists, and per version the index of its list in each. */
function lists(get) {
  const distinct = [];
  const of = order.map((v) => {
    const list = get(perTarget.get(v));
    let i = distinct.findIndex((d) => d.join('\u0000') === list.join('\u0000'));
    if (i < 0) i = distinct.push(list) - 1;
    return i;
  });
  return { distinct, of };
}
const operatorLists = lists((t) => t.checkOperators);
const transformerLists = lists((t) => t.transformerList);

const data = {
  versions: order.map((v) => ({
    falco: v,
    libs: perTarget.get(v).libs,
    engine: perTarget.get(v).engine,
  })),
  operators: ranges((t) => new Set(t.operators)),
  transformers: ranges((t) => new Set(t.transformers)),
  fields: ranges((t) => t.fields),
};

const header = `// Generated by scripts/generate-falco-versions.mjs from falcosecurity/falco ${mainRev.slice(0, 8)} and falcosecurity/libs ${libsMain.slice(0, 8)}. Do not edit.
// Ranges are [first, last] indexes into FALCO_VERSIONS (or the explicit list of indexes); items present in every version are omitted.
`;
const body = `${header}
export const FALCO_VERSIONS: readonly { falco: string; libs: string; engine: string }[] = ${JSON.stringify(data.versions)};
export const OPERATOR_RANGES: Readonly<Record<string, readonly number[]>> = ${JSON.stringify(data.operators)};
export const TRANSFORMER_RANGES: Readonly<Record<string, readonly number[]>> = ${JSON.stringify(data.transformers)};
export const FIELD_RANGES: Readonly<Record<string, readonly number[]>> = ${JSON.stringify(data.fields)};
/** The operator lists the parser prints ("expected a valid check operator: one of ..."), and each version's. */
export const OPERATOR_LISTS: readonly (readonly string[])[] = ${JSON.stringify(operatorLists.distinct)};
export const OPERATOR_LIST_OF: readonly number[] = ${JSON.stringify(operatorLists.of)};
/** The transformer lists the parser prints ("expected a field or a nested valid transformer: ..."), and each version's. */
export const TRANSFORMER_LISTS: readonly (readonly string[])[] = ${JSON.stringify(transformerLists.distinct)};
export const TRANSFORMER_LIST_OF: readonly number[] = ${JSON.stringify(transformerLists.of)};
`;
writeFileSync(out, body);
console.log(`${out}: ${order.length} versions, ${Object.keys(data.fields).length} version-dependent fields`);
