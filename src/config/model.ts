import type { Loc } from '../diagnostics/index.js';

/** What fails the build for one environment. */
export interface Policy {
  lint: { failOn: string[]; disable: string[] };
  warningsAsErrors: boolean;
}

/** One entry of `layers:` as written: a path or glob relative to the repository root. */
export interface LayerSpec {
  pattern: string;
  loc: Loc;
}

export interface ArtifactConfig {
  name: string;
  /** Registry repository, e.g. ghcr.io/acme/falco-rules-production. */
  repository: string;
  /** Name of the rules file inside the artifact and in the build output. */
  rulesFileName: string;
}

/** environments/<name>/environment.yaml, with defaults applied. */
export interface EnvironmentConfig {
  name: string;
  /** Repository-relative path of its environment.yaml. */
  file: string;
  description: string;
  version: string;
  layers: LayerSpec[];
  artifact: ArtifactConfig;
  policy: Policy;
}

/** falco-gitops.yaml at the repository root (optional). */
export interface RepositoryDefaults {
  registry: string | null;
  policy: Policy;
}

export interface RepositoryConfig {
  defaults: RepositoryDefaults;
  /** Sorted by name, byte-wise. */
  environments: EnvironmentConfig[];
}

/** Read access to a repository's files by repository-relative POSIX path: a working tree or a git revision. */
export interface RepositoryReader {
  /** The file's text, or undefined if there is no such file. */
  readText(path: string): string | undefined;
  /** Every file below `dir` (recursive, repository-relative paths, any order); [] if there is none. */
  listFiles(dir: string): string[];
}

export const CONFIG_FILE = 'falco-gitops.yaml';
export const ENVIRONMENTS_DIR = 'environments';
export const ENVIRONMENT_FILE = 'environment.yaml';
