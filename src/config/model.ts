import type { FalcoTarget } from '../targets/target.js';
import type { Loc } from '../diagnostics/index.js';

/** A lint check's level for one environment; "off" does not run it. */
export type LintLevel = 'error' | 'warning' | 'note' | 'off';

/** The `policy.lint` section, with defaults applied. */
export interface LintSettings {
  /** Check id -> level, overriding the check's own severity. */
  severity: Record<string, LintLevel>;
  /** Check ids whose findings fail the build whatever their level. */
  failOn: string[];
  /** Check ids not run (the same as severity "off"). */
  disable: string[];
  /** Tag patterns (globs) each enabled rule must match with at least one tag. */
  requiredTags: string[];
  /** Maximum estimated cost of any one rule; null for no budget. */
  costBudget: number | null;
  /** How many rules the cost table lists; null for the lint default. */
  costTableSize: number | null;
}

/** What fails the build for one environment. */
export interface Policy {
  lint: LintSettings;
  warningsAsErrors: boolean;
}

/** A lint check id as written in a policy (a severity key, a failOn or disable entry), for checking it against the known checks. */
export interface PolicyCheckRef {
  id: string;
  /** Key path of the entry, e.g. "policy.lint.failOn.0" or "defaults.policy.lint.severity.cost". */
  key: string;
  location: Loc;
}

/** One entry of `layers:` as written: a path or glob relative to the repository root. */
export interface LayerSpec {
  pattern: string;
  loc: Loc;
}

export interface ArtifactConfig {
  name: string;
  /** Registry repository, e.g. ghcr.io/acme/falco-rules-production: the first of `repositories`. */
  repository: string;
  /** Every repository the artifact is published to (the same digest and tags on each), `repository` first. */
  repositories: string[];
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
  /** The Falco targets its rules are checked against, in the order listed; never empty. */
  falco: FalcoTarget[];
  /** For a cluster of an environment template: which template and cluster; absent for a plain environment. */
  template?: { name: string; cluster: string };
}

/** falco-gitops.yaml at the repository root (optional). */
export interface RepositoryDefaults {
  /** The first of `registries`, or null. */
  registry: string | null;
  /** Registries (host and namespace) every artifact is published to unless its environment names its own. */
  registries: string[];
  policy: Policy;
  falco: FalcoTarget[];
}

export interface RepositoryConfig {
  defaults: RepositoryDefaults;
  /** Sorted by name, byte-wise. */
  environments: EnvironmentConfig[];
  /** Every check id named in any policy (falco-gitops.yaml first, then environments in order), where it is written. */
  policyCheckRefs: PolicyCheckRef[];
}

/** Read access to a repository's files by repository-relative POSIX path: a working tree or a git revision. */
export interface RepositoryReader {
  /** The file's text, or undefined if there is no such file. */
  readText(path: string): string | undefined;
  /**
   * Every file below `dir` (recursive, repository-relative paths, any order); [] if there is none.
   * A symbolic link to a folder outside the repository is listed with a trailing `/`, not followed.
   */
  listFiles(dir: string): string[];
  /**
   * Why `readText` gives nothing for a path that exists (it resolves outside the repository, or is
   * too large), checked without reading it; undefined when it may be read.
   */
  refusal?(path: string): string | undefined;
}

export const CONFIG_FILE = 'falco-gitops.yaml';
export const ENVIRONMENTS_DIR = 'environments';
export const ENVIRONMENT_FILE = 'environment.yaml';
/** environments/<template>/clusters/<cluster>.yaml make <template> a template of one environment per cluster. */
export const CLUSTERS_DIR = 'clusters';
