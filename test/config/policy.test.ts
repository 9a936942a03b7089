import { describe, expect, it } from 'vitest';
import {
  ENVIRONMENT_SCHEMA_FILE,
  findUnknownCheckIds,
  fsRepositoryReader,
  loadRepositoryConfig,
  readSchema,
  type RepositoryReader,
} from '../../src/config/index.js';
import { REPO_ROOT } from '../helpers/shared.js';

function memoryReader(files: Record<string, string>): RepositoryReader {
  return {
    readText: (path) => files[path],
    listFiles: (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)),
  };
}

const ENV_HEAD = 'version: 1.0.0\nlayers: [rules/a.yaml]\n';

/** One environment whose `policy.lint` is the given YAML block (indented under `lint:`). */
function withLint(lint: string, root?: string): RepositoryReader {
  return memoryReader({
    'environments/e/environment.yaml': `${ENV_HEAD}policy:\n  lint:\n${lint}`,
    ...(root === undefined ? {} : { 'falco-gitops.yaml': root }),
  });
}

/** `file:line:col message` of each diagnostic. */
function errorsOf(reader: RepositoryReader): string[] {
  const { config, diagnostics } = loadRepositoryConfig(reader);
  if (diagnostics.length > 0) expect(config).toBeNull();
  return diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.message}`);
}

describe('policy.lint keys', () => {
  it('reads every key of an environment policy', () => {
    const reader = withLint(
      [
        '    severity:',
        '      or-chain-to-in: warning',
        '      required-tags: error',
        '      prefer-startswith: note',
        '      no-evttype: off',
        '    failOn: [use-exceptions]',
        '    disable: [unused-list]',
        '    requiredTags: ["mitre_*", "team_*"]',
        '    costBudget: 4.5',
        '    costTableSize: 3',
        '  warningsAsErrors: true',
        '',
      ].join('\n'),
    );
    const { config, diagnostics } = loadRepositoryConfig(reader);
    expect(diagnostics).toEqual([]);
    expect(config!.environments[0]!.policy).toEqual({
      lint: {
        severity: { 'or-chain-to-in': 'warning', 'required-tags': 'error', 'prefer-startswith': 'note', 'no-evttype': 'off' },
        failOn: ['use-exceptions'],
        disable: ['unused-list'],
        requiredTags: ['mitre_*', 'team_*'],
        costBudget: 4.5,
        costTableSize: 3,
      },
      warningsAsErrors: true,
    });
  });

  it('a policy that sets nothing has empty lists and no budget', () => {
    const { config } = loadRepositoryConfig(memoryReader({ 'environments/e/environment.yaml': ENV_HEAD }));
    expect(config!.environments[0]!.policy).toEqual({
      lint: { severity: {}, failOn: [], disable: [], requiredTags: [], costBudget: null, costTableSize: null },
      warningsAsErrors: false,
    });
  });

  it.each([
    [
      'severity level',
      '    severity:\n      cost: fatal\n',
      '6:13 \'policy.lint.severity.cost\' has an invalid value "fatal": expected one of error, warning, note, off',
    ],
    ['severity as a list', '    severity: [cost]\n', "5:15 'policy.lint.severity' must be object"],
    ['costBudget zero', '    costBudget: 0\n', "5:17 'policy.lint.costBudget' must be > 0"],
    ['costBudget text', '    costBudget: high\n', "5:17 'policy.lint.costBudget' must be number"],
    ['costTableSize fraction', '    costTableSize: 2.5\n', "5:20 'policy.lint.costTableSize' must be integer"],
    ['costTableSize zero', '    costTableSize: 0\n', "5:20 'policy.lint.costTableSize' must be >= 1"],
    ['requiredTags as a string', '    requiredTags: mitre_*\n', "5:19 'policy.lint.requiredTags' must be array"],
    ['an empty tag pattern', '    requiredTags: ["mitre_*", ""]\n', "5:31 'policy.lint.requiredTags.1' must NOT have fewer than 1 characters"],
    ['a repeated failOn id', '    failOn: [cost, cost]\n', "5:20 'policy.lint.failOn' names 'cost' twice"],
    ['a misspelt key', '    requiredTag: [x]\n', "5:5 unknown key 'requiredTag' in 'policy.lint' (did you mean 'requiredTags'?)"],
  ])('%s is an error at its value', (_, lint, expected) => {
    expect(errorsOf(withLint(lint))).toEqual([`environments/e/environment.yaml:${expected}`]);
  });

  it('"off" unquoted is the level off, not YAML 1.1 false', () => {
    const { config } = loadRepositoryConfig(withLint('    severity: { cost: off }\n'));
    expect(config!.environments[0]!.policy.lint.severity).toEqual({ cost: 'off' });
  });

  it('the same keys are checked in falco-gitops.yaml defaults, with the defaults key path', () => {
    const reader = memoryReader({
      'environments/e/environment.yaml': ENV_HEAD,
      'falco-gitops.yaml': 'defaults:\n  policy:\n    lint:\n      costBudget: -2\n',
    });
    expect(errorsOf(reader)).toEqual(["falco-gitops.yaml:4:19 'defaults.policy.lint.costBudget' must be > 0"]);
  });
});

describe('policy inheritance', () => {
  const root = [
    'defaults:',
    '  policy:',
    '    lint:',
    '      severity: { or-chain-to-in: warning, unused-list: off }',
    '      failOn: [required-tags]',
    '      requiredTags: ["mitre_*"]',
    '      costBudget: 6',
    '      costTableSize: 5',
    '    warningsAsErrors: true',
    '',
  ].join('\n');

  it('an environment without a policy takes the defaults as they are', () => {
    const { config } = loadRepositoryConfig(memoryReader({ 'falco-gitops.yaml': root, 'environments/e/environment.yaml': ENV_HEAD }));
    expect(config!.defaults.policy).toEqual({
      lint: {
        severity: { 'or-chain-to-in': 'warning', 'unused-list': 'off' },
        failOn: ['required-tags'],
        disable: [],
        requiredTags: ['mitre_*'],
        costBudget: 6,
        costTableSize: 5,
      },
      warningsAsErrors: true,
    });
    expect(config!.environments[0]!.policy).toEqual(config!.defaults.policy);
  });

  it('an environment replaces the keys it sets and merges severity check by check', () => {
    const env = `${ENV_HEAD}policy:\n  lint:\n    severity: { unused-list: warning, cost: note }\n    requiredTags: ["mitre_*", "team_*"]\n    costBudget: 3\n    failOn: []\n`;
    const { config } = loadRepositoryConfig(memoryReader({ 'falco-gitops.yaml': root, 'environments/e/environment.yaml': env }));
    expect(config!.environments[0]!.policy).toEqual({
      lint: {
        severity: { 'or-chain-to-in': 'warning', 'unused-list': 'warning', cost: 'note' },
        failOn: [],
        disable: [],
        requiredTags: ['mitre_*', 'team_*'],
        costBudget: 3,
        costTableSize: 5,
      },
      warningsAsErrors: true,
    });
  });

  it('the example repository: production adds team_* and a budget, staging overrides one level, both keep the defaults', () => {
    const { config, diagnostics } = loadRepositoryConfig(fsRepositoryReader(REPO_ROOT));
    expect(diagnostics).toEqual([]);
    const [production, staging] = config!.environments;
    expect(production!.policy.lint).toEqual({
      severity: {},
      failOn: ['required-tags', 'overwrite-upstream', 'no-evttype'],
      disable: [],
      requiredTags: ['mitre_*', 'team_*'],
      costBudget: 5,
      costTableSize: 5,
    });
    expect(staging!.policy.lint).toEqual({
      severity: { 'priority-for-new-rule': 'note' },
      failOn: [],
      disable: [],
      requiredTags: ['mitre_*'],
      costBudget: null,
      costTableSize: 5,
    });
  });
});

describe('check ids named in policies', () => {
  const files = {
    'falco-gitops.yaml': 'defaults:\n  policy:\n    lint:\n      disable: [unused-macro]\n',
    'environments/a/environment.yaml': `${ENV_HEAD}policy:\n  lint:\n    severity:\n      no-evtype: error\n    failOn: [cost, missing-mitre-tag]\n`,
    'environments/b/environment.yaml': `${ENV_HEAD}policy:\n  lint:\n    disable:\n      - or-chain-to-in\n`,
  };

  it('are recorded where they are written, defaults first, with their key path', () => {
    const { config } = loadRepositoryConfig(memoryReader(files));
    expect(config!.policyCheckRefs.map((r) => `${r.location.file}:${r.location.line}:${r.location.column} ${r.key} ${r.id}`)).toEqual([
      'falco-gitops.yaml:4:17 defaults.policy.lint.disable.0 unused-macro',
      'environments/a/environment.yaml:6:7 policy.lint.severity.no-evtype no-evtype',
      'environments/a/environment.yaml:7:14 policy.lint.failOn.0 cost',
      'environments/a/environment.yaml:7:20 policy.lint.failOn.1 missing-mitre-tag',
      'environments/b/environment.yaml:6:9 policy.lint.disable.0 or-chain-to-in',
    ]);
  });

  it('an unknown one is a config error at its place, with the closest known id or the list of ids', () => {
    const { config } = loadRepositoryConfig(memoryReader(files));
    const known = ['cost', 'no-evttype', 'or-chain-to-in', 'required-tags', 'unused-macro'];
    const errors = findUnknownCheckIds(config!.policyCheckRefs, known);
    expect(errors).toEqual([
      {
        code: 'CONFIG_ERROR',
        severity: 'error',
        itemType: 'config',
        itemName: 'policy.lint.severity.no-evtype',
        message: "unknown lint check 'no-evtype' in 'policy.lint.severity' (did you mean 'no-evttype'?)",
        location: { file: 'environments/a/environment.yaml', line: 6, column: 7 },
      },
      {
        code: 'CONFIG_ERROR',
        severity: 'error',
        itemType: 'config',
        itemName: 'policy.lint.failOn.1',
        message: "unknown lint check 'missing-mitre-tag' in 'policy.lint.failOn' (known checks: cost, no-evttype, or-chain-to-in, required-tags, unused-macro)",
        location: { file: 'environments/a/environment.yaml', line: 7, column: 20 },
      },
    ]);
  });
});

describe('policy schema', () => {
  it('describes every policy key, so editors explain what they complete', () => {
    type SchemaNode = { description?: string; properties?: Record<string, SchemaNode> };
    const policy = (readSchema(ENVIRONMENT_SCHEMA_FILE) as { definitions: { policy: SchemaNode } }).definitions.policy;
    const undescribed: string[] = [];
    const walk = (node: SchemaNode, path: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undescribed.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
    };
    walk(policy, 'policy');
    expect(Object.keys(policy.properties!.lint!.properties!)).toEqual(['severity', 'failOn', 'disable', 'requiredTags', 'costBudget', 'costTableSize']);
    expect(undescribed).toEqual([]);
  });
});
