/**
 * Files merged in order into Falco's collector (docs/falco-rules-semantics.md §2): one global seq,
 * index and visibility, redefinition in place, appends and overrides, version requirements. Merging
 * stops at the first error, as `falco -r a.yaml -r b.yaml` does.
 */
import { didYouMean } from '../diagnostics/index.js';
import semver from 'semver';
import type { Diagnostic, Loc } from '../diagnostics/index.js';
import type { EngineVersionItem, ListItem, MacroItem, MergedRuleset, PluginRequirement, PluginVersionsItem, RulesFile, RulesItem } from './model.js';
import { Collector, conditionSegment } from './collector.js';
import type { MergeCache, MergeState } from './merge-cache.js';
import { collectRule } from './merge-rule.js';
import type { FieldCheck } from './merge-exceptions.js';
import { ERROR_NO_PREVIOUS_LIST, ERROR_NO_PREVIOUS_MACRO } from './rules-messages.js';
import { parseVersionTriple } from './yaml-scalars.js';

export interface MergeOptions {
  /** The Falco engine version the rules must be compatible with (default 0.63.0, Falco's HEAD). */
  engineVersion?: string;
  /** Exception field validation (§2.6); without it exception fields are not checked against a catalog. */
  isKnownField?: FieldCheck;
  /** Shared by the merges of one invocation: files that start several merges in the same order are merged once. */
  mergeCache?: MergeCache;
}

export const DEFAULT_ENGINE_VERSION = '0.63.0';

export interface VersionState {
  engine: [number, number, number];
  engineText: string;
  required: string | null;
  plugins: PluginRequirement[];
  /** Where each of `plugins` was required. */
  pluginLocs: Loc[];
}

export function mergeRulesFiles(files: RulesFile[], options: MergeOptions = {}): MergedRuleset {
  const engineText = options.engineVersion ?? DEFAULT_ENGINE_VERSION;
  const cache = options.mergeCache;
  const resumed = cache?.start(files, engineText, options.isKnownField);
  const state = resumed?.state;
  let position = resumed?.position;
  const c = new Collector(options.isKnownField, state?.collector);
  const versions: VersionState = state
    ? { ...state.versions, plugins: state.versions.plugins.slice(), pluginLocs: state.versions.pluginLocs.slice() }
    : { engine: parseVersionTriple(engineText) ?? [0, 0, 0], engineText, required: null, plugins: [], pluginLocs: [] };
  const diagnostics: Diagnostic[] = state ? state.diagnostics.slice() : [];
  let stopped = state?.stopped ?? false;

  for (let k = position?.length ?? 0; k < files.length && !stopped; k++) {
    stopped = !mergeFile(c, versions, files[k], diagnostics);
    position = position?.next(files[k]);
    // the last file's state is this merge's result: only prefixes are worth keeping
    if (k < files.length - 1) position?.keep(snapshot(c, versions, diagnostics, stopped));
  }

  return {
    lists: c.lists,
    macros: c.macros,
    rules: c.rules,
    requiredEngineVersion: versions.required,
    requiredPluginVersions: versions.plugins,
    requiredPluginVersionLocs: versions.pluginLocs,
    diagnostics,
  };
}

function snapshot(c: Collector, versions: VersionState, diagnostics: Diagnostic[], stopped: boolean): MergeState {
  return { collector: c.state(), versions: { ...versions, plugins: versions.plugins.slice(), pluginLocs: versions.pluginLocs.slice() }, diagnostics: diagnostics.slice(), stopped };
}

/** Merges one file; false when an error stops merging there. */
function mergeFile(c: Collector, versions: VersionState, file: RulesFile, diagnostics: Diagnostic[]): boolean {
  const before = c.diagnostics.length;
  const failedAt = file.items.findIndex((item) => !collectItem(c, versions, item));
  const collectorDiagnostics = c.diagnostics.slice(before);
  if (failedAt < 0) {
    diagnostics.push(...file.diagnostics, ...collectorDiagnostics);
    return !file.diagnostics.some((d) => d.severity === 'error');
  }
  // A collector error stops the file there: reader findings after that item were never reached.
  const next = file.items[failedAt + 1]?.loc;
  diagnostics.push(...file.diagnostics.filter((d) => d.severity === 'warning' && (!next || before_(d.location, next))), ...collectorDiagnostics);
  return false;
}

function before_(a: Loc, b: Loc): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function collectItem(c: Collector, versions: VersionState, item: RulesItem): boolean {
  switch (item.kind) {
    case 'list':
      return collectList(c, item);
    case 'macro':
      return collectMacro(c, item);
    case 'rule':
      return collectRule(c, item);
    case 'required_engine_version':
      return collectEngineVersion(c, versions, item);
    case 'required_plugin_versions':
      return collectPluginVersions(c, versions, item);
  }
}

function collectList(c: Collector, item: ListItem): boolean {
  const prev = c.lists.get(item.name);
  if (item.append || item.override?.items === 'append') {
    if (!prev) return c.fail('list', item.name, ERROR_NO_PREVIOUS_LIST, item.loc, didYouMean(item.name, c.lists.keys()));
    c.lists.set(item.name, {
      ...prev,
      items: [...prev.items, ...item.items],
      visibility: c.nextSeq(),
      history: [...prev.history, { field: 'items', action: 'append', loc: item.valueLocs.items ?? item.loc }],
    });
    return true;
  }
  const seq = c.nextSeq();
  c.lists.set(item.name, {
    name: item.name,
    items: item.items.slice(),
    index: prev?.index ?? seq,
    visibility: seq,
    loc: prev?.loc ?? item.loc,
    history: [...(prev?.history ?? []), { field: item.override ? 'items' : '*', action: item.override ? 'replace' : prev ? 'redefine' : 'define', loc: item.loc }],
  });
  return true;
}

function collectMacro(c: Collector, item: MacroItem): boolean {
  const prev = c.macros.get(item.name);
  const conditionLoc = item.valueLocs.condition ?? item.loc;
  if (item.append || item.override?.condition === 'append') {
    if (!prev) return c.fail('macro', item.name, ERROR_NO_PREVIOUS_MACRO, item.loc, didYouMean(item.name, c.macros.keys()));
    c.macros.set(item.name, {
      ...prev,
      condition: `${prev.condition} ${item.condition}`,
      conditionSegments: [...prev.conditionSegments, conditionSegment(item, prev.condition.length + 1)],
      visibility: c.nextSeq(),
      history: [...prev.history, { field: 'condition', action: 'append', loc: conditionLoc }],
    });
    return true;
  }
  const seq = c.nextSeq();
  c.macros.set(item.name, {
    name: item.name,
    condition: item.condition,
    conditionSegments: [conditionSegment(item, 0)],
    index: prev?.index ?? seq,
    visibility: seq,
    loc: prev?.loc ?? item.loc,
    history: [
      ...(prev?.history ?? []),
      { field: item.override ? 'condition' : '*', action: item.override ? 'replace' : prev ? 'redefine' : 'define', loc: item.loc },
    ],
  });
  return true;
}

/** Compatible when the majors are equal and the engine is not older (§1.3); the maximum is kept. */
function collectEngineVersion(c: Collector, versions: VersionState, item: EngineVersionItem): boolean {
  const required = parseVersionTriple(item.version) ?? [0, 0, 0];
  const [eMajor, eMinor, ePatch] = versions.engine;
  const [rMajor, rMinor, rPatch] = required;
  const compatible = eMajor === rMajor && (eMinor > rMinor || (eMinor === rMinor && ePatch >= rPatch));
  if (!compatible) {
    return c.fail(
      'required_engine_version',
      '',
      `Rules require engine version ${item.version}, but engine version is ${versions.engineText}`,
      item.valueLocs.required_engine_version ?? item.loc,
    );
  }
  if (versions.required === null || semver.lt(versions.required, item.version)) versions.required = item.version;
  return true;
}

/** Each entry is one group (the plugin, then its alternatives); versions must be x.y.z and names unique in a group. */
function collectPluginVersions(c: Collector, versions: VersionState, item: PluginVersionsItem): boolean {
  for (const plugin of item.plugins) {
    const names = new Set<string>();
    for (const req of [{ name: plugin.name, version: plugin.version }, ...plugin.alternatives]) {
      if (!parseVersionTriple(req.version)) {
        return c.fail('required plugin versions entry', plugin.name, `Invalid required version '${req.version}' for plugin '${req.name}'`, item.loc);
      }
      if (names.has(req.name)) {
        return c.fail('required plugin versions entry', plugin.name, `Defined multiple alternative version requirements for plugin '${req.name}'`, item.loc);
      }
      names.add(req.name);
    }
    versions.plugins.push({ ...plugin, alternatives: plugin.alternatives.slice() });
    versions.pluginLocs.push(item.loc);
  }
  return true;
}
