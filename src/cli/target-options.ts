/** `--falco-version V` and repeatable `--plugin NAME[@X.Y.Z]`: the Falco target a command checks against. */
import type { Command } from 'commander';
import { repeatableOption } from './options.js';
import { makeTarget, NEWEST_FALCO_RELEASE, parsePluginSpec, SUPPORTED_FALCO_VERSIONS, TargetError, type FalcoTarget } from '../targets/target.js';
import { CliError } from './exit.js';

export interface TargetFlags {
  falcoVersion?: string;
  plugin: string[];
}

export function addTargetOptions(command: Command, scope: string): Command {
  return command
    .option('--falco-version <version>', `Falco version to check against: ${SUPPORTED_FALCO_VERSIONS[0]} to ${NEWEST_FALCO_RELEASE}, or main (${scope})`)
    .addOption(
      repeatableOption(
        '--plugin <name[@version]>',
        'a plugin the target loads; with @version, the fields of that plugin release; when given, exactly these are loaded',
        "the version's falco.yaml plugins",
      ),
    );
}

/** The target the flags name, or undefined when neither flag is given. */
export function targetFromFlags(flags: TargetFlags): FalcoTarget | undefined {
  if (flags.falcoVersion === undefined && flags.plugin.length === 0) return undefined;
  try {
    const plugins = flags.plugin.length > 0 ? flags.plugin.map(parsePluginSpec) : undefined;
    return makeTarget(flags.falcoVersion ?? NEWEST_FALCO_RELEASE, plugins);
  } catch (e) {
    if (e instanceof TargetError) throw new CliError(e.message, 'usage-error');
    throw e;
  }
}
