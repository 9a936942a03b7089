import type { Diagnostic } from '../diagnostics/index.js';
import { isMap, isSeq, type Document, type LineCounter } from 'yaml';
import { sortPaths } from './compare-paths.js';
import { CLUSTER_SCHEMA_FILE, createConfigValidator, DEFAULTS_SCHEMA_FILE, ENVIRONMENT_SCHEMA_FILE, type ConfigValidator } from './config-schema.js';
import {
  CLUSTERS_DIR,
  CONFIG_FILE,
  ENVIRONMENT_FILE,
  ENVIRONMENTS_DIR,
  type EnvironmentConfig,
  type LayerSpec,
  type PolicyCheckRef,
  type RepositoryConfig,
  type RepositoryDefaults,
  type RepositoryReader,
} from './model.js';
import { defaultTarget, makeTarget, parsePluginSpec, TargetError, type FalcoTarget } from '../targets/target.js';
import { applyPolicy, collectPolicyCheckRefs, emptyPolicy, type PolicyInput } from './policy.js';
import { compareStrings } from './compare-paths.js';

export interface LoadedConfig {
  /** Null when any config file has an error. */
  config: RepositoryConfig | null;
  diagnostics: Diagnostic[];
}

interface ArtifactInput {
  name?: string;
  repository?: string;
  registries?: string[];
  rulesFileName?: string;
}
type FalcoInput = { version: string; plugins?: string[] }[];
interface DefaultsInput {
  defaults?: { registry?: string; registries?: string[]; policy?: PolicyInput; falco?: FalcoInput };
}
interface ClusterInput {
  description?: string;
  version?: string;
  layers?: string[];
  artifact?: ArtifactInput;
}
interface EnvironmentInput {
  description?: string;
  version: string;
  layers: string[];
  artifact?: ArtifactInput;
  policy?: PolicyInput;
  falco?: FalcoInput;
}

/** Reads falco-gitops.yaml (optional) and every environments/<name>/environment.yaml, checked against the shipped schemas. */
export function loadRepositoryConfig(reader: RepositoryReader, validator: ConfigValidator = createConfigValidator()): LoadedConfig {
  const diagnostics: Diagnostic[] = [];
  const policyCheckRefs: PolicyCheckRef[] = [];
  let defaults: RepositoryDefaults = { registry: null, registries: [], policy: emptyPolicy(), falco: [defaultTarget()] };
  const rootRefused = reader.refusal?.(CONFIG_FILE);
  if (rootRefused !== undefined) {
    diagnostics.push({
      code: 'CONFIG_ERROR',
      severity: 'error',
      itemType: 'config',
      itemName: CONFIG_FILE,
      message: `refused: ${rootRefused}`,
      location: { file: CONFIG_FILE, line: 1, column: 1 },
    });
  }
  const rootText = reader.readText(CONFIG_FILE);
  if (rootText !== undefined) {
    const checked = validator.check(CONFIG_FILE, rootText, DEFAULTS_SCHEMA_FILE);
    diagnostics.push(...checked.diagnostics);
    if (checked.diagnostics.length === 0) {
      const input = checked.value as DefaultsInput;
      const falco = falcoTargets(CONFIG_FILE, checked.document, checked.lineCounter, ['defaults', 'falco'], input.defaults?.falco, diagnostics);
      const registry = input.defaults?.registry;
      const registries = input.defaults?.registries ?? (registry === undefined ? [] : [registry]);
      if (registry !== undefined && input.defaults?.registries !== undefined)
        diagnostics.push(bothRegistryKeys(CONFIG_FILE, checked.document, checked.lineCounter, ['defaults'], 'registry'));
      defaults = { registry: registries[0] ?? null, registries, policy: applyPolicy(emptyPolicy(), input.defaults?.policy), falco: falco ?? defaults.falco };
      policyCheckRefs.push(...collectPolicyCheckRefs(CONFIG_FILE, checked.document, checked.lineCounter, ['defaults', 'policy']));
    }
  }
  const environments: EnvironmentConfig[] = [];
  for (const file of environmentFiles(reader)) {
    const name = file.split('/')[1];
    const refused = reader.refusal?.(file);
    if (refused !== undefined) {
      diagnostics.push({
        code: 'CONFIG_ERROR',
        severity: 'error',
        itemType: 'config',
        itemName: file,
        message: `refused: ${refused}`,
        location: { file, line: 1, column: 1 },
      });
      continue;
    }
    const text = reader.readText(file) ?? '';
    const checked = validator.check(file, text, ENVIRONMENT_SCHEMA_FILE);
    diagnostics.push(...checked.diagnostics);
    if (checked.diagnostics.length > 0) continue;
    const { document: doc, lineCounter } = checked;
    const input = checked.value as EnvironmentInput;
    if (input.artifact?.repository !== undefined && input.artifact.registries !== undefined) {
      diagnostics.push(bothRegistryKeys(file, doc, lineCounter, ['artifact'], 'repository'));
      continue;
    }
    const falco = falcoTargets(file, doc, lineCounter, ['falco'], input.falco, diagnostics);
    const template = toEnvironment(name, file, doc, lineCounter, input, { ...defaults, falco: falco ?? defaults.falco });
    policyCheckRefs.push(...collectPolicyCheckRefs(file, doc, lineCounter, ['policy']));
    const clusters = clusterFiles(reader, name);
    if (clusters.length === 0) {
      environments.push(template);
      continue;
    }
    for (const clusterFile of clusters) {
      const clusterChecked = validator.check(clusterFile, reader.readText(clusterFile) ?? '', CLUSTER_SCHEMA_FILE);
      diagnostics.push(...clusterChecked.diagnostics);
      if (clusterChecked.diagnostics.length > 0) continue;
      const clusterInput = clusterChecked.value as ClusterInput;
      if (clusterInput.artifact?.repository !== undefined && clusterInput.artifact.registries !== undefined) {
        diagnostics.push(bothRegistryKeys(clusterFile, clusterChecked.document, clusterChecked.lineCounter, ['artifact'], 'repository'));
        continue;
      }
      environments.push(toCluster(template, input, clusterFile, clusterChecked.document, clusterChecked.lineCounter, clusterInput, defaults));
    }
  }
  diagnostics.push(...duplicateNames(environments));
  environments.sort((a, b) => compareStrings(a.name, b.name));
  const hasError = diagnostics.some((d) => d.severity === 'error');
  return { config: hasError ? null : { defaults, environments, policyCheckRefs }, diagnostics };
}

/** environments/<name>/environment.yaml files, sorted byte-wise. */
function environmentFiles(reader: RepositoryReader): string[] {
  const files = reader.listFiles(ENVIRONMENTS_DIR).filter((p) => {
    const parts = p.split('/');
    return parts.length === 3 && parts[2] === ENVIRONMENT_FILE;
  });
  return sortPaths(files);
}

/** environments/<template>/clusters/<cluster>.yaml files, sorted byte-wise; none when <template> is a plain environment. */
function clusterFiles(reader: RepositoryReader, template: string): string[] {
  const dir = `${ENVIRONMENTS_DIR}/${template}/${CLUSTERS_DIR}`;
  return sortPaths(reader.listFiles(dir).filter((p) => p.split('/').length === 4 && /\.ya?ml$/.test(p)));
}

/**
 * One cluster of a template as a full environment named <template>-<cluster>: the template's settings,
 * then the cluster file's description, version and artifact, and its layers after the template's.
 */
function toCluster(
  template: EnvironmentConfig,
  templateInput: EnvironmentInput,
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  input: ClusterInput,
  defaults: RepositoryDefaults,
): EnvironmentConfig {
  const cluster = file.slice(file.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');
  const name = `${template.name}-${cluster}`;
  const artifactName = input.artifact?.name ?? `falco-rules-${name}`;
  const templateRegistries =
    templateInput.artifact?.registries ??
    (templateInput.artifact?.repository
      ? [templateInput.artifact.repository.slice(0, templateInput.artifact.repository.lastIndexOf('/'))]
      : defaults.registries);
  const repositories = artifactRepositories(artifactName, input.artifact, templateRegistries);
  return {
    ...template,
    name,
    file,
    description: input.description ?? template.description,
    version: input.version ?? template.version,
    layers: [...template.layers, ...layerSpecs(file, doc, lineCounter, input.layers ?? [])],
    artifact: { name: artifactName, repository: repositories[0], repositories, rulesFileName: input.artifact?.rulesFileName ?? `${artifactName}.yaml` },
    template: { name: template.name, cluster },
  };
}

/** Two clusters (or a cluster and an environment) resolving to one name would overwrite each other's output. */
function duplicateNames(environments: EnvironmentConfig[]): Diagnostic[] {
  const seen = new Map<string, EnvironmentConfig>();
  const out: Diagnostic[] = [];
  for (const env of environments) {
    const first = seen.get(env.name);
    if (first) {
      out.push({
        code: 'CONFIG_ERROR',
        severity: 'error',
        itemType: 'environment',
        itemName: env.name,
        message: `environment name '${env.name}' is taken twice: by ${first.file} and ${env.file}`,
        location: { file: env.file, line: 1, column: 1 },
      });
    } else seen.set(env.name, env);
  }
  return out;
}

function toEnvironment(
  name: string,
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  input: EnvironmentInput,
  defaults: RepositoryDefaults,
): EnvironmentConfig {
  const artifactName = input.artifact?.name ?? `falco-rules-${name}`;
  const repositories = artifactRepositories(artifactName, input.artifact, defaults.registries);
  return {
    name,
    file,
    description: input.description ?? '',
    version: input.version,
    layers: layerSpecs(file, doc, lineCounter, input.layers),
    artifact: { name: artifactName, repository: repositories[0], repositories, rulesFileName: input.artifact?.rulesFileName ?? `${artifactName}.yaml` },
    policy: applyPolicy(defaults.policy, input.policy),
    falco: defaults.falco,
  };
}

/**
 * Where an artifact is published, the first one named in manifests and index entries: its own
 * registries, else its own repository, else the registries it inherits, else its bare name.
 */
function artifactRepositories(artifactName: string, own: ArtifactInput | undefined, inherited: readonly string[]): [string, ...string[]] {
  const on = (registry: string) => `${registry.replace(/\/+$/, '')}/${artifactName}`;
  if (own?.repository !== undefined) return [own.repository];
  const registries = own?.registries ?? inherited;
  if (registries.length === 0) return [artifactName];
  const [first, ...rest] = [...new Set(registries.map(on))];
  return [first, ...rest];
}

/** `registry` (or `repository`) and `registries` in one block: one of them would be ignored. */
function bothRegistryKeys(file: string, doc: Document, lineCounter: LineCounter, path: string[], single: string): Diagnostic {
  const node = doc.getIn([...path, 'registries'], true) as { range?: [number, number, number] } | undefined;
  const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
  const key = [...path, 'registries'].join('.');
  return {
    code: 'CONFIG_ERROR',
    severity: 'error',
    itemType: 'config',
    itemName: key,
    message: `'${key}' and '${[...path, single].join('.')}' are both set: list every registry under '${key}' and drop '${single}'`,
    location: { file, line: pos.line, column: pos.col },
  };
}

/** Each `layers:` entry with the position of its scalar, for errors about files it names. */
function layerSpecs(file: string, doc: Document, lineCounter: LineCounter, patterns: string[]): LayerSpec[] {
  const root = doc.contents;
  const seq = isMap(root) ? root.get('layers', true) : undefined;
  return patterns.map((pattern, i) => {
    const node = isSeq(seq) ? (seq.items[i] as { range?: [number, number, number] } | undefined) : undefined;
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { pattern, loc: { file, line: pos.line, column: pos.col } };
  });
}

/** A `falco:` block as targets; a version outside the supported ones is a config error at its line. Undefined when absent. */
function falcoTargets(
  file: string,
  doc: Document,
  lineCounter: LineCounter,
  path: (string | number)[],
  input: FalcoInput | undefined,
  diagnostics: Diagnostic[],
): FalcoTarget[] | undefined {
  if (input === undefined) return undefined;
  const targets: FalcoTarget[] = [];
  input.forEach((entry, i) => {
    try {
      targets.push(makeTarget(entry.version, entry.plugins?.map(parsePluginSpec)));
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      const node = doc.getIn([...path, i, 'version'], true) as { range?: [number, number, number] } | undefined;
      const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
      diagnostics.push({
        code: 'CONFIG_ERROR',
        severity: 'error',
        itemType: 'config',
        itemName: [...path, i, 'version'].join('.'),
        message: e.message,
        location: { file, line: pos.line, column: pos.col },
      });
    }
  });
  return targets;
}
