import { Argument, type Command } from 'commander';
import type { CliCommand } from './command.js';
import { CLEAN } from './exit.js';
import { shellQuote } from './shell-quote.js';

type Shell = 'bash' | 'zsh' | 'fish';

/** Every command path (`""`, `upstream`, `upstream pull`, …) with the words that may follow it. */
function completionTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const walk = (command: Command, path: string[]) => {
    const words = [
      ...command.commands.map((c) => c.name()),
      ...command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)),
      '--help',
    ];
    table.set(path.join(' '), [...new Set(words)]);
    for (const sub of command.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return table;
}

/** A script that completes commands, subcommands and flags; generated from the command tree, so it never drifts. */
export function completionScript(program: Command, shell: Shell): string {
  const table = [...completionTable(program)];
  if (shell === 'fish') {
    const lines = ['# falco-gitops completion for fish: falco-gitops completion fish | source', 'complete -c falco-gitops -f'];
    for (const [path, words] of table) {
      const parts = path === '' ? [] : path.split(' ');
      const condition = parts.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${parts.at(-1)}`;
      lines.push(`complete -c falco-gitops -n ${shellQuote(condition)} -a ${shellQuote(words.join(' '))}`);
    }
    return `${lines.join('\n')}\n`;
  }
  // bash, and zsh through bashcompinit: complete with the words of the longest command path typed so far.
  const cases = table.map(([path, words]) => `    ${shellQuote(path)}) words=${shellQuote(words.join(' '))} ;;`).join('\n');
  const body = `_falco_gitops() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" try words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) continue ;; esac
    try="\${path:+$path }\${COMP_WORDS[i]}"
    if _falco_gitops_words "$try"; then path="$try"; fi
  done
  _falco_gitops_words "$path"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
_falco_gitops_words() {
  case "$1" in
${cases}
    *) return 1 ;;
  esac
}
complete -o default -F _falco_gitops falco-gitops
`;
  const header =
    shell === 'zsh'
      ? '# falco-gitops completion for zsh: source <(falco-gitops completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n'
      : '# falco-gitops completion for bash: source <(falco-gitops completion bash)\n';
  return header + body;
}

export const completionCommand: CliCommand = {
  name: 'completion',
  register(program: Command, io, done) {
    program
      .command('completion')
      .description('Print a shell completion script for bash, zsh or fish')
      .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
      .addHelpText(
        'after',
        `
Examples:
  source <(falco-gitops completion bash)        # in ~/.bashrc
  source <(falco-gitops completion zsh)         # in ~/.zshrc
  falco-gitops completion fish > ~/.config/fish/completions/falco-gitops.fish

Exit codes: 0 printed · 2 usage error`,
      )
      .action((shell: Shell) => {
        io.stdout(completionScript(program, shell));
        done(CLEAN);
      });
  },
};
