/**
 * A Falco target: the Falco version a node runs (a release from 0.37.0, or `main`) and the plugins
 * it loads. Everything version-dependent in loading rules is decided from the target.
 */
import { FALCO_VERSIONS } from './generated/falco-versions.js';

export interface PluginSpec {
  name: string;
  /** Semver of the loaded plugin; undefined when not stated (any version satisfies requirements). */
  version?: string;
}

export interface FalcoTarget {
  falcoVersion: string;
  plugins: readonly PluginSpec[];
}

export const MAIN = 'main';
/** The first release whose default falco.yaml loads the container plugin (libs 0.21 moved container fields there). */
const CONTAINER_PLUGIN_SINCE = '0.41.0';

export const SUPPORTED_FALCO_VERSIONS: readonly string[] = FALCO_VERSIONS.map((v) => v.falco);
export const NEWEST_FALCO_RELEASE: string = SUPPORTED_FALCO_VERSIONS.filter((v) => v !== MAIN).at(-1)!;

export class TargetError extends Error {}

export function compareSemver(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Index of the version in FALCO_VERSIONS (the ranges of the generated tables point there). */
export function versionIndex(falcoVersion: string): number {
  const i = SUPPORTED_FALCO_VERSIONS.indexOf(falcoVersion);
  if (i < 0)
    throw new TargetError(`unsupported Falco version ${falcoVersion} (supported: ${SUPPORTED_FALCO_VERSIONS[0]} to ${NEWEST_FALCO_RELEASE}, or ${MAIN})`);
  return i;
}

/** True when the version is `main` or at least `release`. */
export function atLeast(falcoVersion: string, release: string): boolean {
  return falcoVersion === MAIN || compareSemver(falcoVersion, release) >= 0;
}

/** The plugins the version's default falco.yaml loads. */
export function defaultPlugins(falcoVersion: string): PluginSpec[] {
  return atLeast(falcoVersion, CONTAINER_PLUGIN_SINCE) ? [{ name: 'container' }] : [];
}

export function defaultTarget(): FalcoTarget {
  return makeTarget(NEWEST_FALCO_RELEASE);
}

/** A target; plugins default to those of the version's falco.yaml, and when given are exactly those loaded. */
export function makeTarget(falcoVersion: string, plugins?: readonly PluginSpec[]): FalcoTarget {
  versionIndex(falcoVersion);
  return { falcoVersion, plugins: plugins ?? defaultPlugins(falcoVersion) };
}

const PLUGIN_SPEC = /^([a-z0-9][a-z0-9_-]*)(?:@(\d+\.\d+\.\d+))?$/;

/** `NAME` or `NAME@X.Y.Z`. */
export function parsePluginSpec(text: string): PluginSpec {
  const m = PLUGIN_SPEC.exec(text.trim());
  if (!m) throw new TargetError(`invalid plugin '${text}': expected NAME or NAME@X.Y.Z`);
  return m[2] ? { name: m[1], version: m[2] } : { name: m[1] };
}

export function engineVersionOf(falcoVersion: string): string {
  return FALCO_VERSIONS[versionIndex(falcoVersion)].engine;
}

/** How results name the target: `falco 0.44.1 (container)`, `falco main (container@0.4.0, json)`. */
export function targetLabel(target: FalcoTarget): string {
  const plugins = target.plugins.map((p) => (p.version ? `${p.name}@${p.version}` : p.name)).join(', ');
  return `falco ${target.falcoVersion} (${plugins || 'no plugins'})`;
}

/** A stable key for caches. */
export function targetKey(target: FalcoTarget): string {
  return targetLabel(target);
}
