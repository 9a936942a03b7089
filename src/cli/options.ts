import { Option } from 'commander';

/** Commander's parser for a flag given several times (`--env a --env b`): every value, in order. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** `--env <name>`, repeatable, on every command that works on environments. */
export function envOption(description: string): Option {
  return new Option('--env <name>', `${description} (repeatable)`).argParser(collect).default([] as string[]);
}

/** `--format <format>`, checked by commander against the formats the command renders. */
export function formatOption(formats: readonly string[], description = formats.join(', '), fallback = formats[0]): Option {
  return new Option('--format <format>', description).choices(formats).default(fallback);
}
