import { afterEach, describe, expect, it } from 'vitest';
import { fsRepositoryReader, loadRepositoryConfig, resolveLayers, type RepositoryReader } from '../../src/config/index.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { ENV_YAML, removeTempRepo, writeTempRepo } from '../environment/temp-repo.js';

/** An in-memory repository: the config code only sees files through RepositoryReader. */
function memoryReader(files: Record<string, string>): RepositoryReader {
  return {
    readText: (path) => files[path],
    listFiles: (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)),
  };
}

const RULES = '- list: a\n  items: [x]\n';

describe('loadRepositoryConfig', () => {
  it('reads the example repository: both environments, defaults applied', () => {
    const { config, diagnostics } = loadRepositoryConfig(fsRepositoryReader(REPO_ROOT));
    expect(diagnostics).toEqual([]);
    expect(config?.environments.map((e) => e.name)).toEqual(['production', 'staging']);
    const production = config!.environments[0]!;
    expect(production.artifact).toEqual({
      name: 'falco-rules-production',
      repository: 'ghcr.io/acme/falco-rules-production',
      repositories: ['ghcr.io/acme/falco-rules-production'],
      rulesFileName: 'falco-rules-production.yaml',
    });
    expect(production.version).toBe('1.7.0');
    expect(production.policy.lint.failOn).toEqual(['required-tags', 'overwrite-upstream', 'no-evttype']);
    expect(production.layers.map((l) => l.pattern)).toEqual(['rules/upstream/demo_rules.yaml', 'rules/*.yaml', 'environments/production/overlays/*.yaml']);
    expect(production.layers[1]!.loc).toEqual({ file: 'environments/production/environment.yaml', line: 7, column: 5 });
  });

  it('a key typo is one error naming file, line, key and the closest valid key', () => {
    const reader = memoryReader({
      'environments/prod/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\nartifcat:\n  name: x\n',
      'rules/a.yaml': RULES,
    });
    const { config, diagnostics } = loadRepositoryConfig(reader);
    expect(config).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'CONFIG_ERROR',
      severity: 'error',
      itemName: 'artifcat',
      message: "unknown key 'artifcat' (did you mean 'artifact'?)",
      location: { file: 'environments/prod/environment.yaml', line: 3, column: 1 },
    });
  });

  it('a nested typo names the key path', () => {
    const reader = memoryReader({
      'environments/prod/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\npolicy:\n  lint:\n    failon: [x]\n',
    });
    const { diagnostics } = loadRepositoryConfig(reader);
    expect(diagnostics.map((d) => [d.message, d.location.line, d.location.column])).toEqual([
      ["unknown key 'failon' in 'policy.lint' (did you mean 'failOn'?)", 5, 5],
    ]);
  });

  it('missing keys, bad versions and bad YAML each get their location', () => {
    const reader = memoryReader({
      'environments/a/environment.yaml': 'layers: [rules/a.yaml]\n',
      'environments/b/environment.yaml': 'version: v1\nlayers: [rules/a.yaml]\n',
      'environments/c/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml\n',
      'falco-gitops.yaml': 'defaults:\n  registy: ghcr.io/x\n',
    });
    const { diagnostics } = loadRepositoryConfig(reader);
    expect(diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.message}`)).toEqual([
      "falco-gitops.yaml:2:3 unknown key 'registy' in 'defaults' (did you mean 'registry'?)",
      "environments/a/environment.yaml:1:1 missing required key 'version'",
      'environments/b/environment.yaml:1:10 \'version\' has an invalid value "v1": expected a semver version such as 1.2.0',
      expect.stringMatching(/^environments\/c\/environment\.yaml:\d+:\d+ invalid YAML: /),
    ]);
  });
});

describe('resolveLayers', () => {
  let root = '';
  afterEach(() => removeTempRepo(root));

  it('expands globs byte-wise, whatever order the files were created in, and skips config and lock files', () => {
    const files = {
      'environments/e/environment.yaml': ENV_YAML(['rules/upstream/*.yaml', 'rules/*.yaml', 'environments/e/*.yaml']),
      'rules/upstream/upstream.lock.yaml': 'version: 1\nrulesets: []\n',
      'rules/upstream/b.yaml': RULES,
      'rules/zeta.yaml': RULES,
      'rules/Zeta.yaml': RULES,
      'rules/alpha.yaml': RULES,
      'rules/notes.txt': 'not rules',
      'environments/e/overlay.yaml': RULES,
    };
    root = writeTempRepo(files, Object.keys(files).reverse());
    const reader = fsRepositoryReader(root);
    const env = loadRepositoryConfig(reader).config!.environments[0]!;
    expect(resolveLayers(env, reader)).toEqual({
      files: ['rules/upstream/b.yaml', 'rules/Zeta.yaml', 'rules/alpha.yaml', 'rules/zeta.yaml', 'environments/e/overlay.yaml'],
      diagnostics: [],
    });
  });

  it('a glob that matches nothing and a missing file are errors at the layer entry', () => {
    const reader = memoryReader({
      'environments/e/environment.yaml': 'version: 1.0.0\nlayers:\n  - rules/upstream/*.yaml\n  - rules/missing.yaml\n  - rules/a.yaml\n',
      'rules/a.yaml': RULES,
    });
    const env = loadRepositoryConfig(reader).config!.environments[0]!;
    const { diagnostics } = resolveLayers(env, reader);
    expect(diagnostics.map((d) => [d.location.line, d.location.column, d.message])).toEqual([
      [3, 5, "layer glob 'rules/upstream/*.yaml' matches no rules file"],
      [4, 5, "layer 'rules/missing.yaml' names a file that does not exist"],
    ]);
  });

  it('refuses paths outside the repository', () => {
    const reader = memoryReader({ 'environments/e/environment.yaml': 'version: 1.0.0\nlayers: [../x.yaml]\n' });
    const env = loadRepositoryConfig(reader).config!.environments[0]!;
    expect(resolveLayers(env, reader).diagnostics[0]?.message).toBe("layer '../x.yaml' must be a path relative to the repository root, inside it");
  });
});

describe('schemas', () => {
  it('every example config names a shipped schema its editor can resolve', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    for (const file of ['falco-gitops.yaml', 'environments/staging/environment.yaml', 'environments/production/environment.yaml']) {
      const first = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n')[0]!;
      const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(match, file).not.toBeNull();
      expect(existsSync(join(REPO_ROOT, dirname(file), match![1]!)), file).toBe(true);
    }
  });
});

describe('several registries', () => {
  const base = {
    'rules/a.yaml': RULES,
    'environments/prod/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\n',
  };
  const repositoriesOf = (files: Record<string, string>) => {
    const { config, diagnostics } = loadRepositoryConfig(memoryReader(files));
    expect(diagnostics.map((d) => d.message)).toEqual([]);
    return Object.fromEntries(config!.environments.map((e) => [e.name, [e.artifact.repository, ...e.artifact.repositories]]));
  };

  it('defaults.registries: every artifact on each, the first one its repository', () => {
    const files = { ...base, 'falco-gitops.yaml': 'defaults:\n  registries: [ghcr.io/acme/, registry.eu.example/acme]\n' };
    expect(repositoriesOf(files)).toEqual({
      prod: ['ghcr.io/acme/falco-rules-prod', 'ghcr.io/acme/falco-rules-prod', 'registry.eu.example/acme/falco-rules-prod'],
    });
  });

  it('an environment, a template and a cluster each replace the registries they inherit', () => {
    const files = {
      ...base,
      'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n',
      'environments/prod/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\nartifact:\n  registries: [ghcr.io/acme, ecr.example/acme]\n',
      'environments/edge/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\nartifact:\n  registries: [ghcr.io/acme, harbor.example/acme]\n',
      'environments/edge/clusters/paris.yaml': 'description: inherits\n',
      'environments/edge/clusters/tokyo.yaml': 'artifact:\n  registries: [registry.jp.example/acme]\n',
      'environments/edge/clusters/lima.yaml': 'artifact:\n  repository: registry.pe.example/acme/lima\n',
    };
    expect(repositoriesOf(files)).toEqual({
      'edge-lima': ['registry.pe.example/acme/lima', 'registry.pe.example/acme/lima'],
      'edge-paris': ['ghcr.io/acme/falco-rules-edge-paris', 'ghcr.io/acme/falco-rules-edge-paris', 'harbor.example/acme/falco-rules-edge-paris'],
      'edge-tokyo': ['registry.jp.example/acme/falco-rules-edge-tokyo', 'registry.jp.example/acme/falco-rules-edge-tokyo'],
      prod: ['ghcr.io/acme/falco-rules-prod', 'ghcr.io/acme/falco-rules-prod', 'ecr.example/acme/falco-rules-prod'],
    });
  });

  it('registry and registries (or repository and registries) together is an error at the registries key', () => {
    const { config, diagnostics } = loadRepositoryConfig(
      memoryReader({
        ...base,
        'falco-gitops.yaml': 'defaults:\n  registry: ghcr.io/acme\n  registries: [ghcr.io/acme]\n',
        'environments/prod/environment.yaml': 'version: 1.0.0\nlayers: [rules/a.yaml]\nartifact:\n  repository: ghcr.io/acme/x\n  registries: [ghcr.io/acme]\n',
      }),
    );
    expect(config).toBeNull();
    expect(diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.message}`)).toEqual([
      "falco-gitops.yaml:3:15 'defaults.registries' and 'defaults.registry' are both set: list every registry under 'defaults.registries' and drop 'registry'",
      "environments/prod/environment.yaml:5:15 'artifact.registries' and 'artifact.repository' are both set: list every registry under 'artifact.registries' and drop 'repository'",
    ]);
  });

  it('a registry listed twice is a schema error naming it', () => {
    const { diagnostics } = loadRepositoryConfig(memoryReader({ ...base, 'falco-gitops.yaml': 'defaults:\n  registries: [a.example, a.example]\n' }));
    expect(diagnostics.map((d) => d.message)).toEqual(["'defaults.registries' names 'a.example' twice"]);
  });
});
