import { Option } from 'commander';

/** Commander's parser for a flag given several times (`--env a --env b`): every value, in order. */
function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A flag that may be given several times; its help says what leaving it out means (not `[]`). */
export function repeatableOption(flags: string, description: string, whenAbsent: string): Option {
  return new Option(flags, `${description} (repeatable)`).argParser(collect).default([] as string[], whenAbsent);
}

/** `--env <name>`, repeatable, on every command that works on environments. */
export function envOption(description: string, whenAbsent = 'every environment'): Option {
  return repeatableOption('--env <name>', description, whenAbsent);
}

/** `--registry <host>` of publish and release. */
export function registryOption(): Option {
  return repeatableOption(
    '--registry <host>',
    'publish to this registry host instead of the configured ones, keeping the repository path; given several times, the same digest and tags go to each',
    'the configured registries',
  );
}

/** `--no-cache` on every command that reads rules files (src/files/parse-cache.ts). */
export function cacheOption(): Option {
  return new Option('--no-cache', 'parse every rules file again instead of reusing parsed files from the cache');
}

/** `--format <format>`, checked by commander against the formats the command renders. */
export function formatOption(formats: readonly string[], description = formats.join(', '), fallback = formats[0]): Option {
  return new Option('--format <format>', description).choices(formats).default(fallback);
}
