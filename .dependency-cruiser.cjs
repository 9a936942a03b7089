/**
 * The layering of docs/architecture.md, enforced: the engine folders are pure functions of their
 * inputs; only the world-facing folders touch the file system, processes or the network; nothing
 * imports the CLI; no import cycles.
 */
const ENGINE = '^src/(rules|condition|diagnostics|analysis|evaluate|report|config|site)/';
const WORLD = '^src/(cli|git|oci|automation|upstream|files)/';

module.exports = {
  forbidden: [
    {
      name: 'engine-stays-pure',
      comment: 'rules, condition, diagnostics, analysis, evaluate, report and config never import the world-facing folders',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: WORLD },
    },
    {
      name: 'world-io-only-at-the-edges',
      comment: 'file system, processes and network only in cli, git, oci, automation, upstream and the repository reader of config',
      severity: 'error',
      from: { path: '^src/', pathNot: [WORLD, '^src/config/(fs-repository-reader|config-schema)\\.ts$', '^src/environment/rules-file-cache\\.ts$'] },
      to: { path: '^(fs|fs/promises|child_process|net|http|https|dgram|tls)$', dependencyTypes: ['core'] },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
