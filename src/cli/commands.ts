import type { CliCommand } from './command.js';
import { compileCommand } from './compile.js';
import { validateCommand } from './validate.js';
import { buildCommand } from './build.js';
import { explainCommand } from './explain.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { testCommand } from './test.js';
import { replayCommand } from './replay.js';
import { alertsCommand } from './alerts.js';
import { manifestsCommand } from './manifests.js';
import { publishCommand } from './publish.js';
import { pullCommand } from './pull.js';
import { indexCommand } from './index-file.js';
import { upstreamCommand } from './upstream.js';
import { diffCommand } from './diff.js';
import { ciCommand } from './ci.js';
import { commentCommand } from './comment.js';
import { releaseCommand } from './release.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: CliCommand[] = [compileCommand, validateCommand, buildCommand, explainCommand, initCommand, lintCommand, testCommand, replayCommand, alertsCommand, publishCommand, manifestsCommand, pullCommand, indexCommand, upstreamCommand, diffCommand, ciCommand, commentCommand, releaseCommand];
