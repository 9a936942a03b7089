import type { CliCommand } from './command.js';

/**
 * Every command, in the order `--help` lists them, each imported only when needed: a run of one
 * command loads that command's modules alone, and `--version` loads none.
 */
const LOADERS: ReadonlyArray<readonly [name: string, load: () => Promise<CliCommand>]> = [
  ['compile', async () => (await import('./compile.js')).compileCommand],
  ['validate', async () => (await import('./validate.js')).validateCommand],
  ['build', async () => (await import('./build.js')).buildCommand],
  ['explain', async () => (await import('./explain.js')).explainCommand],
  ['init', async () => (await import('./init.js')).initCommand],
  ['lint', async () => (await import('./lint.js')).lintCommand],
  ['test', async () => (await import('./test.js')).testCommand],
  ['replay', async () => (await import('./replay.js')).replayCommand],
  ['alerts', async () => (await import('./alerts.js')).alertsCommand],
  ['publish', async () => (await import('./publish.js')).publishCommand],
  ['manifests', async () => (await import('./manifests.js')).manifestsCommand],
  ['pull', async () => (await import('./pull.js')).pullCommand],
  ['verify', async () => (await import('./verify.js')).verifyCommand],
  ['index', async () => (await import('./falcoctl-index.js')).indexCommand],
  ['upstream', async () => (await import('./upstream.js')).upstreamCommand],
  ['diff', async () => (await import('./diff.js')).diffCommand],
  ['ci', async () => (await import('./ci.js')).ciCommand],
  ['comment', async () => (await import('./comment.js')).commentCommand],
  ['release', async () => (await import('./release.js')).releaseCommand],
  ['site', async () => (await import('./site.js')).siteCommand],
  ['completion', async () => (await import('./completion.js')).completionCommand],
];

/** Every command. */
export async function loadAllCommands(): Promise<CliCommand[]> {
  return Promise.all(LOADERS.map(([, load]) => load()));
}

/**
 * The commands a command line needs: the one it names (`help <command>` included), none for a bare
 * `--version`, and all of them for anything else (help, completion, an unknown command's error).
 */
export async function loadCommandsFor(argv: readonly string[]): Promise<CliCommand[]> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  const loader = LOADERS.find(([name]) => name === named);
  // completion is written from the whole command tree
  if (loader && named !== 'completion') return [await loader[1]()];
  if (words.length === 0 && argv.length > 0 && argv.every((a) => a === '--version' || a === '-V')) return [];
  return loadAllCommands();
}
