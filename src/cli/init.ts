import type { Command } from 'commander';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { schemasDir } from '../config/index.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { type CliCommand } from './command.js';
import { CLEAN, inputError, usageError } from './exit.js';
import { shellWord } from './shell-quote.js';
import { openRepository, resolveRevision } from '../git/index.js';
import { TOOL } from './tool-info.js';
import { formatOption } from './options.js';
import { compareStrings } from '../config/compare-paths.js';
import { renderJsonDocument } from '../report/index.js';

/** Template files whose names npm would drop or act on, stored under another name. */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

/** Stands for the falco-gitops action in the templates' workflows; init writes `owner/repo@commit # vX.Y.Z`. */
export const ACTION_PLACEHOLDER = '__FALCO_GITOPS_ACTION__';

const ACTION_PIN = /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/;

export const initCommand: CliCommand = {
  name: 'init',
  register(program: Command, io, done) {
    program
      .command('init')
      .description(
        'Scaffold a rules repository (config, schemas, demo upstream rules, organisation rules, staging and production environments, workflows) that validates and builds at once',
      )
      .argument('[dir]', 'where to create it', '.')
      .option('--action <owner/repo@commit>', "the falco-gitops action the workflows use (default: this package's repository at the commit it was built from)")
      .addOption(formatOption(['text', 'json'], 'text or json'))
      .addHelpText(
        'after',
        `
Existing files are never overwritten: if any file would be, nothing is written.
The workflows (.github/workflows/pr.yaml, release.yaml, upstream.yaml) run this very release of
falco-gitops through its GitHub Action, pinned by commit (\`uses: owner/falco-gitops@<commit>\`);
set your registry in falco-gitops.yaml before the first release.

Examples:
  falco-gitops init falco-rules && cd falco-rules && falco-gitops validate && falco-gitops build
  falco-gitops init .

Exit codes: 0 created · 2 a file already exists, or usage error`,
      )
      .action(async (dir: string, flags: { action?: string; format: 'text' | 'json' }) => {
        const target = resolve(io.cwd, dir);
        const action = flags.action ?? (await defaultActionPin());
        if (!action) {
          done(usageError('init: cannot tell which commit of the falco-gitops action the workflows should pin: pass --action owner/falco-gitops@<commit>'));
          return;
        }
        if (!ACTION_PIN.test(action)) {
          done(usageError(`init: --action must be owner/repo@<40-hex commit>, not '${action}'`));
          return;
        }
        const files = scaffoldFiles(action);
        const existing = [...files.keys()].filter((path) => existsSync(join(target, path)));
        if (existing.length > 0) {
          for (const path of existing) io.stderr(`${posix.join(dir, path)}: already exists\n`);
          done(inputError(`init: not creating anything in '${dir}': ${existing.length} file(s) already exist`));
          return;
        }
        for (const [path, content] of files) await writeFileAtomic(join(target, path), content);
        if (flags.format === 'json') {
          io.stdout(renderJsonDocument({ directory: target, action, files: [...files.keys()] }));
        } else {
          const where = relative(io.cwd, target) || '.';
          io.stdout(`created ${files.size} files in ${where}\n`);
          io.stdout(`next: ${where === '.' ? '' : `cd ${shellWord(where)} && `}falco-gitops validate && falco-gitops build --out out\n`);
        }
        done(CLEAN);
      });
  },
};

/**
 * The action this package came from: `source.json` (written by `npm pack`) in an installed package,
 * the checkout's HEAD in a clone; undefined when neither says.
 */
async function defaultActionPin(): Promise<string | undefined> {
  const root = dirname(schemasDir());
  const stamped = join(root, 'source.json');
  if (existsSync(stamped)) {
    const source = JSON.parse(readFileSync(stamped, 'utf8')) as { repository?: unknown; commit?: unknown };
    return typeof source.repository === 'string' && typeof source.commit === 'string' ? `${source.repository}@${source.commit}` : undefined;
  }
  if (!existsSync(join(root, '.git')) || !TOOL.repository) return undefined;
  const head = await resolveRevision(openRepository(root), 'HEAD');
  return head.ok ? `${TOOL.repository}@${head.value}` : undefined;
}

/** Repository-relative path -> content: the templates (workflows using `action`) and the JSON Schemas. */
export function scaffoldFiles(action: string): Map<string, Buffer> {
  const pin = `${action} # v${TOOL.version}`;
  const schemas = schemasDir();
  const packageRoot = dirname(schemas);
  const files = new Map<string, Buffer>();
  for (const path of listFiles(join(packageRoot, 'templates'))) {
    const base = posix.basename(path);
    const renamed = RENAMED[base] ? posix.join(posix.dirname(path), RENAMED[base]).replace(/^\.\//, '') : path;
    const content = readFileSync(join(packageRoot, 'templates', path));
    files.set(renamed, content.includes(ACTION_PLACEHOLDER) ? Buffer.from(content.toString('utf8').replaceAll(ACTION_PLACEHOLDER, pin)) : content);
  }
  for (const path of listFiles(schemas)) files.set(posix.join('schemas', path), readFileSync(join(schemas, path)));
  return new Map([...files.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** The installed package's own version (its package.json sits beside schemas/ and templates/). */
function listFiles(dir: string, prefix = ''): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix === '' ? entry.name : posix.join(prefix, entry.name);
    if (entry.isDirectory()) return listFiles(join(dir, entry.name), rel);
    return entry.isFile() ? [rel] : [];
  });
}
