/**
 * `rules/upstream/upstream.lock.yaml`: which upstream ruleset versions are vendored, where each came
 * from, and the sha256 of the vendored file.
 *
 * ```yaml
 * version: 1
 * rulesets:
 *   - name: falco_rules
 *     version: 4.0.0
 *     file: rules/upstream/falco_rules.yaml
 *     sha256: 0f3c…
 *     source: { kind: oci, reference: ghcr.io/falcosecurity/rules/falco-rules:4.0.0, digest: sha256:… }
 * ```
 */
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';
import { YAML_TOO_DEEP, yamlNestingExcess, type Diagnostic } from '../diagnostics/index.js';
import { compareStrings } from '../config/compare-paths.js';

export const LOCK_FILE_PATH = 'rules/upstream/upstream.lock.yaml';

export type UpstreamSource =
  | { kind: 'oci'; reference: string; digest: string }
  /** `path` is the file inside the repository, `commit` the one the tag named when pinned. */
  | { kind: 'git'; url: string; tag: string; path?: string; commit?: string }
  | { kind: 'path'; path: string };

export interface LockedRuleset {
  /** e.g. "falco_rules" */
  name: string;
  version: string;
  /** Repository-relative path of the vendored file. */
  file: string;
  /** Hex sha256 of the vendored file's bytes. */
  sha256: string;
  source: UpstreamSource;
}

export interface UpstreamLock {
  version: 1;
  rulesets: LockedRuleset[];
}

export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type LockParse = { ok: true; lock: UpstreamLock } | { ok: false; diagnostics: Diagnostic[] };

/** Validates a lock file's text into an UpstreamLock; every problem names its line. */
export function parseLockFile(text: string, path: string): LockParse {
  const deep = yamlNestingExcess(text);
  if (deep !== null) {
    return {
      ok: false,
      diagnostics: [
        { code: 'CONFIG_ERROR', severity: 'error', itemType: 'upstream lock', itemName: path, message: YAML_TOO_DEEP, location: { file: path, ...deep } },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  const at = (node: Node | null | undefined) => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { file: path, line: pos.line, column: pos.col };
  };
  const fail = (message: string, node?: Node | null) =>
    diagnostics.push({ code: 'CONFIG_ERROR', severity: 'error', itemType: 'upstream lock', itemName: path, message, location: at(node) });
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    diagnostics.push({
      code: 'CONFIG_ERROR',
      severity: 'error',
      itemType: 'upstream lock',
      itemName: path,
      message: e.message.split('\n')[0],
      location: { file: path, line: pos.line, column: pos.col },
    });
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const root = doc.contents;
  if (!isMap(root)) {
    fail('the lock file must be a mapping with `version` and `rulesets`', root);
    return { ok: false, diagnostics };
  }
  const version = root.get('version', true);
  if (!isScalar(version) || String(version.value) !== '1') fail('unsupported lock file version (expected `version: 1`)', root);
  const list = root.get('rulesets', true);
  const rulesets: LockedRuleset[] = [];
  if (!isSeq(list)) fail('`rulesets` must be a sequence', list);
  else {
    for (const node of list.items) {
      if (!isMap(node)) {
        fail('each ruleset must be a mapping', node as Node);
        continue;
      }
      const value = node.toJS(doc) as Record<string, unknown>;
      const str = (k: string) => (typeof value[k] === 'string' && value[k] !== '' ? value[k] : undefined);
      const name = str('name');
      const version = typeof value.version === 'number' ? String(value.version) : str('version');
      const file = str('file');
      const sha = str('sha256');
      const source = decodeSource(value.source);
      if (!name || !version || !file || !sha) fail('a ruleset needs `name`, `version`, `file` and `sha256`', node);
      else if (!/^[0-9a-f]{64}$/.test(sha)) fail(`ruleset '${name}': sha256 must be 64 lowercase hex digits`, node);
      else if (typeof source === 'string') fail(`ruleset '${name}': ${source}`, node);
      else rulesets.push({ name, version, file, sha256: sha, source });
    }
  }
  const names = new Set<string>();
  for (const r of rulesets) {
    if (names.has(r.name)) fail(`ruleset '${r.name}' is locked twice`, list);
    names.add(r.name);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, lock: { version: 1, rulesets } };
}

function decodeSource(raw: unknown): UpstreamSource | string {
  if (typeof raw !== 'object' || raw === null) return '`source` must be a mapping with a `kind`';
  const s = raw as Record<string, unknown>;
  const str = (k: string) => (typeof s[k] === 'string' && s[k] !== '' ? s[k] : undefined);
  switch (s.kind) {
    case 'oci': {
      const reference = str('reference');
      const digest = str('digest');
      return reference && digest && /^sha256:[0-9a-f]{64}$/.test(digest)
        ? { kind: 'oci', reference, digest }
        : 'an oci source needs `reference` and a `digest` sha256:<64 hex>';
    }
    case 'git': {
      const url = str('url');
      const tag = str('tag');
      if (!url || !tag) return 'a git source needs `url` and `tag`';
      const path = str('path');
      const commit = str('commit');
      if (s.commit !== undefined && !(commit && /^[0-9a-f]{40}$/.test(commit))) return "a git source's `commit` must be 40 lowercase hex digits";
      return { kind: 'git', url, tag, ...(path ? { path } : {}), ...(commit ? { commit } : {}) };
    }
    case 'path': {
      const path = str('path');
      return path ? { kind: 'path', path } : 'a path source needs `path`';
    }
    default:
      return '`source.kind` must be oci, git or path';
  }
}

/** The lock as YAML, rulesets sorted by name so the file never changes by accident. */
export function renderLockFile(lock: UpstreamLock): string {
  const rulesets = [...lock.rulesets].sort((a, b) => compareStrings(a.name, b.name));
  return (
    '# Written by falco-gitops upstream pull/update; edit with those commands.\n' +
    stringify(
      { version: 1, rulesets: rulesets.map((r) => ({ name: r.name, version: r.version, file: r.file, sha256: r.sha256, source: { ...r.source } })) },
      { lineWidth: 0 },
    )
  );
}

/** The lock with one ruleset added or replaced. */
export function withLockedRuleset(lock: UpstreamLock, entry: LockedRuleset): UpstreamLock {
  return { version: 1, rulesets: [...lock.rulesets.filter((r) => r.name !== entry.name), entry] };
}

export const EMPTY_LOCK: UpstreamLock = { version: 1, rulesets: [] };
